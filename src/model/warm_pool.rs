//! Warm pools: running instances of a prebuild's snapshot, ready to be claimed.

use super::{Text, WarmPoolPhase, WARM_POOL_PHASE};
use crate::schema::desc::Kind;

message! {
    /// Pre-created environment instances from a prebuild snapshot, one pool per project
    /// and environment class.
    pub struct WarmPool<'a> as WARM_POOL (response) {
        /// The warm pool's UUID.
        id: Text<'a> = always("id", "id", Str),
        /// Ownership.
        metadata: WarmPoolMetadata<'a> = always("metadata", "metadata", (Kind::Msg(&WARM_POOL_METADATA))),
        /// The desired configuration.
        spec: WarmPoolSpec<'a> = always("spec", "spec", (Kind::Msg(&WARM_POOL_SPEC))),
        /// What the runner reports.
        status: WarmPoolStatus<'a> = always("status", "status", (Kind::Msg(&WARM_POOL_STATUS))),
    }
}

message! {
    /// Ownership of a warm pool.
    pub struct WarmPoolMetadata<'a> as WARM_POOL_METADATA (response) {
        /// The organisation that owns it.
        organization_id: Text<'a> = always("organizationId", "organization_id", Str),
        /// The project it belongs to.
        project_id: Text<'a> = always("projectId", "project_id", Str),
        /// The environment class whose instances it warms.
        environment_class_id: Text<'a> = always("environmentClassId", "environment_class_id", Str),
        /// The runner that manages it (derived from the environment class).
        runner_id: Text<'a> = always("runnerId", "runner_id", Str),
        /// When it was created (RFC 3339).
        created_at: Option<Text<'a>> = optional("createdAt", "created_at", Str),
        /// When it was last updated (RFC 3339).
        updated_at: Option<Text<'a>> = optional("updatedAt", "updated_at", Str),
    }
}

message! {
    /// The desired configuration of a warm pool.
    pub struct WarmPoolSpec<'a> as WARM_POOL_SPEC (response) {
        /// Grows with each change of the spec (a 64-bit integer, as text).
        spec_version: Text<'a> = always("specVersion", "spec_version", Int64),
        /// Deprecated fixed size; use `min_size` and `max_size`.
        desired_size: i32 = always("desiredSize", "desired_size", Int32),
        /// The prebuild snapshot being warmed; absent until a prebuild completed.
        snapshot_id: Option<Text<'a>> = optional("snapshotId", "snapshot_id", Str),
        /// The phase the reconciler drives it to.
        desired_phase: WarmPoolPhase = always("desiredPhase", "desired_phase", (Kind::Enum(&WARM_POOL_PHASE))),
        /// The fewest instances to keep (0 allows full scale-down).
        min_size: Option<i32> = optional("minSize", "min_size", Int32),
        /// The most instances to keep (at most 20).
        max_size: Option<i32> = optional("maxSize", "max_size", Int32),
    }
}

message! {
    /// What the runner reports about a warm pool.
    pub struct WarmPoolStatus<'a> as WARM_POOL_STATUS (response) {
        /// Where it is in its lifecycle.
        phase: WarmPoolPhase = always("phase", "phase", (Kind::Enum(&WARM_POOL_PHASE))),
        /// Why it is degraded or failed.
        failure_message: Text<'a> = always("failureMessage", "failure_message", Str),
        /// Grows with each change of the status (a 64-bit integer, as text).
        status_version: Text<'a> = always("statusVersion", "status_version", Int64),
        /// Running instances, ready to be claimed.
        running_instances: i32 = always("runningInstances", "running_instances", Int32),
        /// Provisioned but stopped instances, used to back-fill quickly.
        stopped_instances: i32 = always("stoppedInstances", "stopped_instances", Int32),
        /// The autoscaler's current target.
        desired_size: i32 = always("desiredSize", "desired_size", Int32),
    }
}
