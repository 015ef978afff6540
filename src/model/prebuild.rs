//! Prebuilds: a project's environment, run once and snapshotted so that later
//! environments start fast.

use super::{PrebuildPhase, PrebuildTrigger, Subject};
use crate::json::{FieldError, Obj, ObjectWriter, ToJson};

super::resource!(Prebuild, PrebuildMetadata, PrebuildSpec, PrebuildStatus);

/// A prebuild of a project, whose snapshot makes environments start faster.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Prebuild {
    /// The prebuild's UUID.
    pub id: String,
    /// Ownership and origin.
    pub metadata: PrebuildMetadata,
    /// The configuration it was created with.
    pub spec: PrebuildSpec,
    /// Its current phase and progress.
    pub status: PrebuildStatus,
}

/// Ownership and origin of a prebuild.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrebuildMetadata {
    /// The organisation that owns it.
    pub organization_id: String,
    /// The project it was created for.
    pub project_id: String,
    /// The environment class it runs on.
    pub environment_class_id: String,
    /// Who created it (for scheduled prebuilds, the configured executor).
    pub creator: Subject,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it was last updated (RFC 3339).
    pub updated_at: Option<String>,
    /// What started it.
    pub triggered_by: PrebuildTrigger,
    /// Whose SCM credentials ran it.
    pub executor: Subject,
}

/// The configuration of a prebuild.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrebuildSpec {
    /// Grows with each change of the spec (a 64-bit integer, as text).
    pub spec_version: String,
    /// The phase the reconciler drives it to (e.g. CANCELLED after a cancel).
    pub desired_phase: PrebuildPhase,
    /// The longest it may run, as a protobuf duration (`"3600s"`).
    pub timeout: Option<String>,
}

/// The current state of a prebuild.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrebuildStatus {
    /// Where it is in its lifecycle.
    pub phase: PrebuildPhase,
    /// When it completed or failed (RFC 3339).
    pub completion_time: Option<String>,
    /// Why it failed; empty unless FAILED.
    pub failure_message: String,
    /// Where its logs are.
    pub log_url: String,
    /// The environment that runs it.
    pub environment_id: String,
    /// Grows with each change of the status (a 64-bit integer, as text).
    pub status_version: String,
    /// Trouble that did not stop it from completing.
    pub warning_message: String,
    /// Snapshot progress, 0 to 100, while SNAPSHOTTING.
    pub snapshot_completion_percentage: i32,
    /// The snapshot's size in bytes once COMPLETED (a 64-bit integer, as text).
    pub snapshot_size_bytes: String,
}

impl PrebuildMetadata {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PrebuildMetadata {
            organization_id: o.string("organizationId")?.unwrap_or_default(),
            project_id: o.string("projectId")?.unwrap_or_default(),
            environment_class_id: o.string("environmentClassId")?.unwrap_or_default(),
            creator: o.message("creator", Subject::decode)?,
            created_at: o.string("createdAt")?,
            updated_at: o.string("updatedAt")?,
            triggered_by: o.enumeration("triggeredBy")?.unwrap_or_default(),
            executor: o.message("executor", Subject::decode)?,
        })
    }
}

impl PrebuildSpec {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PrebuildSpec {
            spec_version: o.int64_text("specVersion")?.unwrap_or_else(|| "0".into()),
            desired_phase: o.enumeration("desiredPhase")?.unwrap_or_default(),
            timeout: o.string("timeout")?,
        })
    }
}

impl PrebuildStatus {
    fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(PrebuildStatus {
            phase: o.enumeration("phase")?.unwrap_or_default(),
            completion_time: o.string("completionTime")?,
            failure_message: o.string("failureMessage")?.unwrap_or_default(),
            log_url: o.string("logUrl")?.unwrap_or_default(),
            environment_id: o.string("environmentId")?.unwrap_or_default(),
            status_version: o.int64_text("statusVersion")?.unwrap_or_else(|| "0".into()),
            warning_message: o.string("warningMessage")?.unwrap_or_default(),
            snapshot_completion_percentage: o.int32("snapshotCompletionPercentage")?.unwrap_or_default(),
            snapshot_size_bytes: o.int64_text("snapshotSizeBytes")?.unwrap_or_else(|| "0".into()),
        })
    }
}

impl ToJson for PrebuildMetadata {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("organizationId", &self.organization_id)
            .str("projectId", &self.project_id)
            .str("environmentClassId", &self.environment_class_id)
            .value("creator", &self.creator)
            .opt_str("createdAt", self.created_at.as_deref())
            .opt_str("updatedAt", self.updated_at.as_deref())
            .value("triggeredBy", &self.triggered_by)
            .value("executor", &self.executor)
            .end();
    }
}

impl ToJson for PrebuildSpec {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("specVersion", &self.spec_version)
            .value("desiredPhase", &self.desired_phase)
            .opt_str("timeout", self.timeout.as_deref())
            .end();
    }
}

impl ToJson for PrebuildStatus {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .value("phase", &self.phase)
            .opt_str("completionTime", self.completion_time.as_deref())
            .str("failureMessage", &self.failure_message)
            .str("logUrl", &self.log_url)
            .str("environmentId", &self.environment_id)
            .str("statusVersion", &self.status_version)
            .str("warningMessage", &self.warning_message)
            .int("snapshotCompletionPercentage", i64::from(self.snapshot_completion_percentage))
            .str("snapshotSizeBytes", &self.snapshot_size_bytes)
            .end();
    }
}
