//! Prebuilds: a project's environment, run once and snapshotted so that later
//! environments start fast.

use serde::{Deserialize, Serialize};

use super::{zero, PrebuildPhase, PrebuildTrigger, Subject, Text};

/// A prebuild of a project, whose snapshot makes environments start faster.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prebuild<'a> {
    /// The prebuild's UUID.
    #[serde(default, borrow, deserialize_with = "crate::wire::text")]
    pub id: Text<'a>,
    /// Ownership and origin.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub metadata: PrebuildMetadata<'a>,
    /// The configuration it was created with.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub spec: PrebuildSpec<'a>,
    /// Its current phase and progress.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub status: PrebuildStatus<'a>,
}

/// Ownership and origin of a prebuild.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrebuildMetadata<'a> {
    /// The organisation that owns it.
    #[serde(default, borrow, alias = "organization_id", deserialize_with = "crate::wire::text")]
    pub organization_id: Text<'a>,
    /// The project it was created for.
    #[serde(default, borrow, alias = "project_id", deserialize_with = "crate::wire::text")]
    pub project_id: Text<'a>,
    /// The environment class it runs on.
    #[serde(default, borrow, alias = "environment_class_id", deserialize_with = "crate::wire::text")]
    pub environment_class_id: Text<'a>,
    /// Who created it (for scheduled prebuilds, the configured executor).
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub creator: Subject<'a>,
    /// When it was created (RFC 3339).
    #[serde(default, borrow, alias = "created_at", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Text<'a>>,
    /// When it was last updated (RFC 3339).
    #[serde(default, borrow, alias = "updated_at", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Text<'a>>,
    /// What started it.
    #[serde(default, alias = "triggered_by", deserialize_with = "super::enum_or_default")]
    pub triggered_by: PrebuildTrigger,
    /// Whose SCM credentials ran it.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub executor: Subject<'a>,
}

/// The configuration of a prebuild.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrebuildSpec<'a> {
    /// Grows with each change of the spec (a 64-bit integer, as text).
    #[serde(default = "zero", borrow, alias = "spec_version", deserialize_with = "crate::wire::int64")]
    pub spec_version: Text<'a>,
    /// The phase the reconciler drives it to (e.g. CANCELLED after a cancel).
    #[serde(default, alias = "desired_phase", deserialize_with = "super::enum_or_default")]
    pub desired_phase: PrebuildPhase,
    /// The longest it may run, as a protobuf duration (`"3600s"`).
    #[serde(default, borrow, deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Text<'a>>,
}

impl Default for PrebuildSpec<'_> {
    fn default() -> Self {
        PrebuildSpec { spec_version: zero(), desired_phase: PrebuildPhase::default(), timeout: None }
    }
}

/// The current state of a prebuild.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrebuildStatus<'a> {
    /// Where it is in its lifecycle.
    #[serde(default, deserialize_with = "super::enum_or_default")]
    pub phase: PrebuildPhase,
    /// When it completed or failed (RFC 3339).
    #[serde(default, borrow, alias = "completion_time", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Text<'a>>,
    /// Why it failed; empty unless FAILED.
    #[serde(default, borrow, alias = "failure_message", deserialize_with = "crate::wire::text")]
    pub failure_message: Text<'a>,
    /// Where its logs are.
    #[serde(default, borrow, alias = "log_url", deserialize_with = "crate::wire::text")]
    pub log_url: Text<'a>,
    /// The environment that runs it.
    #[serde(default, borrow, alias = "environment_id", deserialize_with = "crate::wire::text")]
    pub environment_id: Text<'a>,
    /// Grows with each change of the status (a 64-bit integer, as text).
    #[serde(default = "zero", borrow, alias = "status_version", deserialize_with = "crate::wire::int64")]
    pub status_version: Text<'a>,
    /// Trouble that did not stop it from completing.
    #[serde(default, borrow, alias = "warning_message", deserialize_with = "crate::wire::text")]
    pub warning_message: Text<'a>,
    /// Snapshot progress, 0 to 100, while SNAPSHOTTING.
    #[serde(default, alias = "snapshot_completion_percentage", deserialize_with = "crate::wire::int32")]
    pub snapshot_completion_percentage: i32,
    /// The snapshot's size in bytes once COMPLETED (a 64-bit integer, as text).
    #[serde(default = "zero", borrow, alias = "snapshot_size_bytes", deserialize_with = "crate::wire::int64")]
    pub snapshot_size_bytes: Text<'a>,
}

impl Default for PrebuildStatus<'_> {
    fn default() -> Self {
        PrebuildStatus {
            phase: PrebuildPhase::default(),
            completion_time: None,
            failure_message: Text::Borrowed(""),
            log_url: Text::Borrowed(""),
            environment_id: Text::Borrowed(""),
            status_version: zero(),
            warning_message: Text::Borrowed(""),
            snapshot_completion_percentage: 0,
            snapshot_size_bytes: zero(),
        }
    }
}
