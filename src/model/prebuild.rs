//! Prebuilds: a project's environment, run once and snapshotted so that later
//! environments start fast.

use super::{PrebuildPhase, PrebuildTrigger, Subject, Text, PREBUILD_PHASE, PREBUILD_TRIGGER, SUBJECT};
use crate::schema::desc::Kind;

message! {
    /// A prebuild of a project, whose snapshot makes environments start faster.
    pub struct Prebuild<'a> as PREBUILD (response) {
        /// The prebuild's UUID.
        id: Text<'a> = always("id", "id", Str),
        /// Ownership and origin.
        metadata: PrebuildMetadata<'a> = always("metadata", "metadata", (Kind::Msg(&PREBUILD_METADATA))),
        /// The configuration it was created with.
        spec: PrebuildSpec<'a> = always("spec", "spec", (Kind::Msg(&PREBUILD_SPEC))),
        /// Its current phase and progress.
        status: PrebuildStatus<'a> = always("status", "status", (Kind::Msg(&PREBUILD_STATUS))),
    }
}

message! {
    /// Ownership and origin of a prebuild.
    pub struct PrebuildMetadata<'a> as PREBUILD_METADATA (response) {
        /// The organisation that owns it.
        organization_id: Text<'a> = always("organizationId", "organization_id", Str),
        /// The project it was created for.
        project_id: Text<'a> = always("projectId", "project_id", Str),
        /// The environment class it runs on.
        environment_class_id: Text<'a> = always("environmentClassId", "environment_class_id", Str),
        /// Who created it (for scheduled prebuilds, the configured executor).
        creator: Subject<'a> = always("creator", "creator", (Kind::Msg(&SUBJECT))),
        /// When it was created (RFC 3339).
        created_at: Option<Text<'a>> = optional("createdAt", "created_at", Str),
        /// When it was last updated (RFC 3339).
        updated_at: Option<Text<'a>> = optional("updatedAt", "updated_at", Str),
        /// What started it.
        triggered_by: PrebuildTrigger = always("triggeredBy", "triggered_by", (Kind::Enum(&PREBUILD_TRIGGER))),
        /// Whose SCM credentials ran it.
        executor: Subject<'a> = always("executor", "executor", (Kind::Msg(&SUBJECT))),
    }
}

message! {
    /// The configuration of a prebuild.
    pub struct PrebuildSpec<'a> as PREBUILD_SPEC (response) {
        /// Grows with each change of the spec (a 64-bit integer, as text).
        spec_version: Text<'a> = always("specVersion", "spec_version", Int64),
        /// The phase the reconciler drives it to (e.g. CANCELLED after a cancel).
        desired_phase: PrebuildPhase = always("desiredPhase", "desired_phase", (Kind::Enum(&PREBUILD_PHASE))),
        /// The longest it may run, as a protobuf duration (`"3600s"`).
        timeout: Option<Text<'a>> = optional("timeout", "timeout", Str),
    }
}

message! {
    /// The current state of a prebuild.
    pub struct PrebuildStatus<'a> as PREBUILD_STATUS (response) {
        /// Where it is in its lifecycle.
        phase: PrebuildPhase = always("phase", "phase", (Kind::Enum(&PREBUILD_PHASE))),
        /// When it completed or failed (RFC 3339).
        completion_time: Option<Text<'a>> = optional("completionTime", "completion_time", Str),
        /// Why it failed; empty unless FAILED.
        failure_message: Text<'a> = always("failureMessage", "failure_message", Str),
        /// Where its logs are.
        log_url: Text<'a> = always("logUrl", "log_url", Str),
        /// The environment that runs it.
        environment_id: Text<'a> = always("environmentId", "environment_id", Str),
        /// Grows with each change of the status (a 64-bit integer, as text).
        status_version: Text<'a> = always("statusVersion", "status_version", Int64),
        /// Trouble that did not stop it from completing.
        warning_message: Text<'a> = always("warningMessage", "warning_message", Str),
        /// Snapshot progress, 0 to 100, while SNAPSHOTTING.
        snapshot_completion_percentage: i32 =
            always("snapshotCompletionPercentage", "snapshot_completion_percentage", Int32),
        /// The snapshot's size in bytes once COMPLETED (a 64-bit integer, as text).
        snapshot_size_bytes: Text<'a> = always("snapshotSizeBytes", "snapshot_size_bytes", Int64),
    }
}
