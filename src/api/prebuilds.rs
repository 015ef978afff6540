//! Requests of the prebuild methods, with the service's rules.

use super::list::{PaginationRequest, PrebuildFilter, PAGINATION_REQUEST, PREBUILD_FILTER};
use crate::model::{PrebuildPhase, PREBUILD_PHASE};
use crate::schema::desc::{Kind, Presence, Rule};
use crate::validate::UUID_REQUIRED;

message! {
    /// CreatePrebuild: starts a prebuild of a project.
    pub struct CreatePrebuildRequest as CREATE_PREBUILD_REQUEST (request) {
        /// The project to prebuild.
        project_id: String = always("projectId", "project_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
        /// The environment class to use; the project's default when absent.
        environment_class_id: Option<String> = optional("environmentClassId", "environment_class_id", Str)
            .presence(Presence::NonEmpty)
            .rule(Rule::Uuid),
        /// The configuration; required, and sent even when empty (`{}`).
        spec: Option<CreatePrebuildSpec> = optional("spec", "spec", (Kind::Msg(&CREATE_PREBUILD_SPEC)))
            .required("is required (it may be empty: {}, or e.g. { timeout: \"3600s\" })"),
    }
}

message! {
    /// The spec given to CreatePrebuild.
    pub struct CreatePrebuildSpec as CREATE_PREBUILD_SPEC (request) {
        /// Managed by the service; passed through when given.
        spec_version: Option<String> = optional("specVersion", "spec_version", Int64),
        /// Managed by the service; passed through when given.
        desired_phase: Option<PrebuildPhase> =
            optional("desiredPhase", "desired_phase", (Kind::Enum(&PREBUILD_PHASE))).rule(Rule::Known),
        /// The longest the prebuild may run, 300s to 7200s (the service's default: 3600s).
        timeout: Option<String> = optional("timeout", "timeout", Str).rule(Rule::PrebuildTimeout),
    }
}

message! {
    /// The request of GetPrebuild, CancelPrebuild, DeletePrebuild and
    /// CreatePrebuildLogsToken: one prebuild's id.
    pub struct PrebuildIdRequest as PREBUILD_ID_REQUEST (request) {
        /// The prebuild.
        prebuild_id: String = always("prebuildId", "prebuild_id", Str).rule(Rule::Uuid).required(UUID_REQUIRED),
    }
}

message! {
    /// ListPrebuilds: a page of prebuilds.
    pub struct ListPrebuildsRequest as LIST_PREBUILDS_REQUEST (request) {
        /// The page to read (query parameter).
        token: Option<String> = optional("token", "token", Str).presence(Presence::Query),
        /// Items per page, 0 to 100 (query parameter).
        page_size: Option<i32> = optional("pageSize", "page_size", Int32)
            .presence(Presence::Query)
            .rule(Rule::Range(0, super::MAX_PAGE_SIZE)),
        /// Which prebuilds.
        filter: Option<PrebuildFilter> = optional("filter", "filter", (Kind::Msg(&PREBUILD_FILTER))),
        /// Pagination in the body.
        pagination: Option<PaginationRequest> =
            optional("pagination", "pagination", (Kind::Msg(&PAGINATION_REQUEST))),
    }
}
