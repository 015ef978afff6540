//! Requests of the prebuild methods.

use serde::{Deserialize, Serialize};

use super::list::{PaginationRequest, PrebuildFilter};
use crate::model::PrebuildPhase;

/// CreatePrebuild: starts a prebuild of a project.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePrebuildRequest {
    /// The project to prebuild.
    #[serde(default, alias = "project_id", deserialize_with = "crate::wire::string")]
    pub project_id: String,
    /// The environment class to use; the project's default when absent.
    #[serde(default, alias = "environment_class_id", deserialize_with = "crate::wire::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment_class_id: Option<String>,
    /// The configuration; required, and sent even when empty (`{}`).
    #[serde(default, deserialize_with = "crate::wire::opt_message")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<CreatePrebuildSpec>,
}

/// The spec given to CreatePrebuild.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreatePrebuildSpec {
    /// Managed by the service; passed through when given.
    #[serde(default, alias = "spec_version", deserialize_with = "crate::wire::opt_int64_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_version: Option<String>,
    /// Managed by the service; passed through when given.
    #[serde(default, alias = "desired_phase", deserialize_with = "crate::wire::read_enum")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_phase: Option<PrebuildPhase>,
    /// The longest the prebuild may run, 300s to 7200s (the service's default: 3600s).
    #[serde(default, deserialize_with = "crate::wire::opt_string")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// The request of GetPrebuild, CancelPrebuild, DeletePrebuild and
/// CreatePrebuildLogsToken: one prebuild's id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrebuildIdRequest {
    /// The prebuild.
    #[serde(default, alias = "prebuild_id", deserialize_with = "crate::wire::string")]
    pub prebuild_id: String,
}

/// ListPrebuilds: a page of prebuilds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListPrebuildsRequest {
    /// The page to read (query parameter).
    #[serde(default, skip_serializing, deserialize_with = "crate::wire::opt_string")]
    pub token: Option<String>,
    /// Items per page, 0 to 100 (query parameter).
    #[serde(default, skip_serializing, alias = "page_size", deserialize_with = "crate::wire::opt_int32")]
    pub page_size: Option<i32>,
    /// Which prebuilds.
    #[serde(default, deserialize_with = "crate::wire::opt_message")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<PrebuildFilter>,
    /// Pagination in the body.
    #[serde(default, deserialize_with = "crate::wire::opt_message")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationRequest>,
}
