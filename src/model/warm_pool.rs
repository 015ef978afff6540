//! Warm pools: running instances of a prebuild's snapshot, ready to be claimed.

use super::WarmPoolPhase;
use crate::json::{FieldError, Obj, ObjectWriter, ToJson};

super::resource!(WarmPool, WarmPoolMetadata, WarmPoolSpec, WarmPoolStatus);

/// Pre-created environment instances from a prebuild snapshot, one pool per project
/// and environment class.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPool {
    /// The warm pool's UUID.
    pub id: String,
    /// Ownership.
    pub metadata: WarmPoolMetadata,
    /// The desired configuration.
    pub spec: WarmPoolSpec,
    /// What the runner reports.
    pub status: WarmPoolStatus,
}

/// Ownership of a warm pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPoolMetadata {
    /// The organisation that owns it.
    pub organization_id: String,
    /// The project it belongs to.
    pub project_id: String,
    /// The environment class whose instances it warms.
    pub environment_class_id: String,
    /// The runner that manages it (derived from the environment class).
    pub runner_id: String,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it was last updated (RFC 3339).
    pub updated_at: Option<String>,
}

/// The desired configuration of a warm pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPoolSpec {
    /// Grows with each change of the spec (a 64-bit integer, as text).
    pub spec_version: String,
    /// Deprecated fixed size; use `min_size` and `max_size`.
    pub desired_size: i32,
    /// The prebuild snapshot being warmed; absent until a prebuild completed.
    pub snapshot_id: Option<String>,
    /// The phase the reconciler drives it to.
    pub desired_phase: WarmPoolPhase,
    /// The fewest instances to keep (0 allows full scale-down).
    pub min_size: Option<i32>,
    /// The most instances to keep (at most 20).
    pub max_size: Option<i32>,
}

/// What the runner reports about a warm pool.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WarmPoolStatus {
    /// Where it is in its lifecycle.
    pub phase: WarmPoolPhase,
    /// Why it is degraded or failed.
    pub failure_message: String,
    /// Grows with each change of the status (a 64-bit integer, as text).
    pub status_version: String,
    /// Running instances, ready to be claimed.
    pub running_instances: i32,
    /// Provisioned but stopped instances, used to back-fill quickly.
    pub stopped_instances: i32,
    /// The autoscaler's current target.
    pub desired_size: i32,
}

impl WarmPoolMetadata {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(WarmPoolMetadata {
            organization_id: o.string("organizationId")?.unwrap_or_default(),
            project_id: o.string("projectId")?.unwrap_or_default(),
            environment_class_id: o.string("environmentClassId")?.unwrap_or_default(),
            runner_id: o.string("runnerId")?.unwrap_or_default(),
            created_at: o.string("createdAt")?,
            updated_at: o.string("updatedAt")?,
        })
    }
}

impl WarmPoolSpec {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(WarmPoolSpec {
            spec_version: o.int64_text("specVersion")?.unwrap_or_else(|| "0".into()),
            desired_size: o.int32("desiredSize")?.unwrap_or_default(),
            snapshot_id: o.string("snapshotId")?,
            desired_phase: o.enumeration("desiredPhase")?.unwrap_or_default(),
            min_size: o.int32("minSize")?,
            max_size: o.int32("maxSize")?,
        })
    }
}

impl WarmPoolStatus {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(WarmPoolStatus {
            phase: o.enumeration("phase")?.unwrap_or_default(),
            failure_message: o.string("failureMessage")?.unwrap_or_default(),
            status_version: o.int64_text("statusVersion")?.unwrap_or_else(|| "0".into()),
            running_instances: o.int32("runningInstances")?.unwrap_or_default(),
            stopped_instances: o.int32("stoppedInstances")?.unwrap_or_default(),
            desired_size: o.int32("desiredSize")?.unwrap_or_default(),
        })
    }
}

impl ToJson for WarmPoolMetadata {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("organizationId", &self.organization_id)
            .str("projectId", &self.project_id)
            .str("environmentClassId", &self.environment_class_id)
            .str("runnerId", &self.runner_id)
            .opt_str("createdAt", self.created_at.as_deref())
            .opt_str("updatedAt", self.updated_at.as_deref())
            .end();
    }
}

impl ToJson for WarmPoolSpec {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("specVersion", &self.spec_version)
            .int("desiredSize", i64::from(self.desired_size))
            .opt_str("snapshotId", self.snapshot_id.as_deref())
            .value("desiredPhase", &self.desired_phase)
            .opt_int("minSize", self.min_size)
            .opt_int("maxSize", self.max_size)
            .end();
    }
}

impl ToJson for WarmPoolStatus {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .value("phase", &self.phase)
            .str("failureMessage", &self.failure_message)
            .str("statusVersion", &self.status_version)
            .int("runningInstances", i64::from(self.running_instances))
            .int("stoppedInstances", i64::from(self.stopped_instances))
            .int("desiredSize", i64::from(self.desired_size))
            .end();
    }
}
