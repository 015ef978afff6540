//! Requests of the prebuild methods.

use super::field_error;
use super::list::{nested, page_size, PaginationRequest, PrebuildFilter};
use crate::error::Error;
use crate::json::{Obj, ObjectWriter, ToJson};
use crate::model::{PrebuildPhase, ProtoEnum};
use crate::validate;

/// CreatePrebuild: starts a prebuild of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePrebuildRequest {
    /// The project to prebuild.
    pub project_id: String,
    /// The environment class to use; the project's default when absent.
    pub environment_class_id: Option<String>,
    /// The configuration; sent even when empty (`{}`).
    pub spec: CreatePrebuildSpec,
}

/// The spec given to CreatePrebuild.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CreatePrebuildSpec {
    /// Managed by the service; passed through when given.
    pub spec_version: Option<String>,
    /// Managed by the service; passed through when given.
    pub desired_phase: Option<PrebuildPhase>,
    /// The longest the prebuild may run, 300s to 7200s (the service's default: 3600s).
    pub timeout: Option<String>,
}

impl CreatePrebuildRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["projectId", "environmentClassId", "spec"]).map_err(field_error)?;
        let project_id = validate::required_uuid("projectId", o.string("projectId").map_err(field_error)?)?;
        let environment_class_id =
            validate::optional_uuid("environmentClassId", o.string("environmentClassId").map_err(field_error)?)?;
        let spec = nested(o, "spec", CreatePrebuildSpec::parse)?.ok_or_else(|| {
            Error::validation("spec", "is required (it may be empty: {}, or e.g. { timeout: \"3600s\" })")
        })?;
        Ok(CreatePrebuildRequest { project_id, environment_class_id, spec })
    }
}

impl CreatePrebuildSpec {
    fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["specVersion", "desiredPhase", "timeout"]).map_err(field_error)?;
        let desired_phase = o.enumeration::<PrebuildPhase>("desiredPhase").map_err(field_error)?;
        if let Some(p) = &desired_phase {
            if !p.is_known() {
                return Err(Error::validation(
                    "spec.desiredPhase",
                    format!(
                        "must be one of {}, got {}",
                        PrebuildPhase::names().join(", "),
                        validate::quoted(p.as_str())
                    ),
                ));
            }
        }
        let timeout = o.string("timeout").map_err(field_error)?;
        if let Some(t) = &timeout {
            validate::prebuild_timeout("spec.timeout", t)?;
        }
        Ok(CreatePrebuildSpec {
            spec_version: o.int64_text("specVersion").map_err(field_error)?,
            desired_phase,
            timeout,
        })
    }
}

/// The request of GetPrebuild, CancelPrebuild, DeletePrebuild and
/// CreatePrebuildLogsToken: one prebuild's id.
#[derive(Debug, Clone, PartialEq)]
pub struct PrebuildIdRequest {
    /// The prebuild.
    pub prebuild_id: String,
}

impl PrebuildIdRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["prebuildId"]).map_err(field_error)?;
        Ok(PrebuildIdRequest {
            prebuild_id: validate::required_uuid("prebuildId", o.string("prebuildId").map_err(field_error)?)?,
        })
    }
}

/// ListPrebuilds: a page of prebuilds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListPrebuildsRequest {
    /// The page to read (query parameter).
    pub token: Option<String>,
    /// Items per page, 0 to 100 (query parameter).
    pub page_size: Option<i32>,
    /// Which prebuilds.
    pub filter: Option<PrebuildFilter>,
    /// Pagination in the body.
    pub pagination: Option<PaginationRequest>,
}

impl ListPrebuildsRequest {
    pub(crate) fn parse(o: &Obj<'_>) -> Result<Self, Error> {
        o.deny_unknown(&["token", "pageSize", "filter", "pagination"]).map_err(field_error)?;
        Ok(ListPrebuildsRequest {
            token: o.string("token").map_err(field_error)?,
            page_size: page_size(o, "pageSize")?,
            filter: nested(o, "filter", PrebuildFilter::parse)?,
            pagination: nested(o, "pagination", PaginationRequest::parse)?,
        })
    }
}

impl ToJson for CreatePrebuildRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .str("projectId", &self.project_id)
            .opt_str("environmentClassId", self.environment_class_id.as_deref())
            .value("spec", &self.spec)
            .end();
    }
}

impl ToJson for CreatePrebuildSpec {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .opt_str("specVersion", self.spec_version.as_deref())
            .opt_value("desiredPhase", self.desired_phase.as_ref())
            .opt_str("timeout", self.timeout.as_deref())
            .end();
    }
}

impl ToJson for PrebuildIdRequest {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).str("prebuildId", &self.prebuild_id).end();
    }
}

impl ToJson for ListPrebuildsRequest {
    /// The body: `token` and `pageSize` travel in the query.
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out)
            .opt_value("filter", self.filter.as_ref())
            .opt_value("pagination", self.pagination.as_ref())
            .end();
    }
}
