//! The prebuild methods: create, get, list, cancel, delete, logs token.

use gitpod_prebuilds::api::{
    CreatePrebuildRequest, Empty, ListPrebuildsRequest, ListPrebuildsResponse, LogsTokenResponse, PrebuildFilter,
    PrebuildResponse,
};
use gitpod_prebuilds::model::{
    PaginationResponse, Prebuild, PrebuildMetadata, PrebuildPhase, PrebuildSpec, PrebuildStatus, PrebuildTrigger,
    ProtoEnum, Text,
};
use gitpod_prebuilds::protocol::Code;

use super::logs::{stop_for_cancel, stop_for_delete};
use super::paging::{self, ListKind, PageQuery};
use super::{bump, respond, seed, ApiError, Course, Driver, ForcedOutcome, Outcome, PrebuildRec, State};
use crate::time::rfc3339;

/// The timeout of a prebuild created without one.
const DEFAULT_TIMEOUT: &str = "3600s";
/// Ticks from a cancel to CANCELLED, and between the steps of a delete.
pub(super) const QUICK_TICKS: u32 = 2;

impl Driver {
    /// The driver of a cancel or delete: quick steps, whatever the prebuild was.
    fn quick() -> Driver {
        Driver { every: 1, countdown: QUICK_TICKS, step: 0, tombstone: false }
    }
}

/// Starts the cancel of an unfinished prebuild: CANCELLING, desired phase CANCELLED,
/// quick steps from now on, and its log stopped where it is.
pub(super) fn begin_cancel(rec: &mut PrebuildRec, now: i64) {
    stop_for_cancel(rec);
    let pb = &mut rec.prebuild;
    pb.spec.desired_phase = PrebuildPhase::Cancelled;
    bump(&mut pb.spec.spec_version);
    pb.status.phase = PrebuildPhase::Cancelling;
    bump(&mut pb.status.status_version);
    pb.metadata.updated_at = Some(rfc3339(now).into());
    rec.driver = Some(Driver::quick());
}

impl State {
    pub(super) fn create_prebuild(
        &mut self,
        r: CreatePrebuildRequest,
        forced: Option<ForcedOutcome>,
        now: i64,
    ) -> Result<String, ApiError> {
        let (p, c) = self.project_and_class(&r.project_id, r.environment_class_id.as_deref())?;
        let project = &self.catalog.projects[p];
        let org = project.org;
        let behaviour = project.behaviour;
        let caller = self.catalog.subject(self.catalog.caller(org));
        let id = self.rng.uuid();
        // The project's outcome is drawn either way, so a forced one leaves the ids and
        // outcomes of later prebuilds as they would have been.
        let drawn = seed::outcome(&mut self.rng, behaviour);
        let outcome = match forced {
            None => drawn,
            Some(ForcedOutcome::Completed) => Outcome::Complete { warning: None },
            Some(ForcedOutcome::Warning) => Outcome::Complete { warning: Some(seed::WARNINGS[1].to_string()) },
            Some(ForcedOutcome::Failed) => Outcome::Fail { message: seed::FAILURES[0].to_string() },
            Some(ForcedOutcome::Cancelled) => Outcome::Cancel,
        };
        let size_bytes = seed::snapshot_size(&mut self.rng);
        let at = Some(Text::from(rfc3339(now)));
        let prebuild = Prebuild {
            id: id.clone().into(),
            metadata: PrebuildMetadata {
                organization_id: self.catalog.orgs[org].id.clone().into(),
                project_id: self.catalog.projects[p].id.clone().into(),
                environment_class_id: self.catalog.classes[c].id.clone().into(),
                creator: caller.clone(),
                created_at: at.clone(),
                updated_at: at,
                triggered_by: PrebuildTrigger::Manual,
                executor: caller,
            },
            // desiredPhase and specVersion are the service's to manage: what a caller
            // sends for them is ignored.
            spec: PrebuildSpec {
                spec_version: "1".into(),
                desired_phase: PrebuildPhase::Completed,
                timeout: Some(r.spec.and_then(|spec| spec.timeout).unwrap_or_else(|| DEFAULT_TIMEOUT.into()).into()),
            },
            status: PrebuildStatus {
                phase: PrebuildPhase::Pending,
                status_version: "1".into(),
                snapshot_size_bytes: "0".into(),
                ..Default::default()
            },
        };
        let seq = self.take_seq();
        let driver = Driver { every: 1, countdown: 1, step: 0, tombstone: false };
        self.prebuild_seqs.insert(id, seq);
        self.prebuilds.insert(
            seq,
            PrebuildRec {
                seq,
                prebuild: prebuild.clone(),
                driver: Some(driver),
                course: Course { outcome, size_bytes },
                log_stop: None,
            },
        );
        respond!(PrebuildResponse { prebuild })
    }

    /// Checks the project and environment class of a create request; the class
    /// defaults to the project's.
    pub(super) fn project_and_class(
        &self,
        project_id: &str,
        class_id: Option<&str>,
    ) -> Result<(usize, usize), ApiError> {
        let cat = &self.catalog;
        let p = cat.project(project_id).ok_or_else(|| State::not_found("project", project_id))?;
        let project = &cat.projects[p];
        if !project.prebuilds_enabled {
            return Err(ApiError::new(
                Code::FailedPrecondition,
                format!("prebuilds are not enabled for project {} ({})", project.id, project.name),
            ));
        }
        let c = match class_id {
            None => project.default_class,
            Some(id) => cat.class(id).ok_or_else(|| State::not_found("environment class", id))?,
        };
        if !project.classes.contains(&c) {
            return Err(ApiError::new(
                Code::FailedPrecondition,
                format!(
                    "environment class {} is not enabled for project {} ({}); its classes are {}",
                    cat.classes[c].id,
                    project.id,
                    project.name,
                    project.classes.iter().map(|&i| cat.classes[i].id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        Ok((p, c))
    }

    fn prebuild_mut(&mut self, id: &str) -> Result<&mut PrebuildRec, ApiError> {
        let seq = self.prebuild_seqs.get(&id.to_ascii_lowercase()).copied();
        seq.and_then(|s| self.prebuilds.get_mut(&s)).ok_or_else(|| State::not_found("prebuild", id))
    }

    pub(super) fn get_prebuild(&mut self, id: &str) -> Result<String, ApiError> {
        let rec = self.prebuild_mut(id)?;
        respond!(PrebuildResponse { prebuild: rec.prebuild.clone() })
    }

    pub(super) fn list_prebuilds(&self, r: &ListPrebuildsRequest, query: &PageQuery) -> Result<String, ApiError> {
        let filter = r.filter.clone().unwrap_or_default();
        let filter_json = respond!(filter)?;
        let page = paging::resolve(
            ListKind::Prebuilds,
            &filter_json,
            query,
            r.token.as_deref(),
            r.page_size,
            r.pagination.as_ref(),
        )?;
        let before = page.before.unwrap_or(u64::MAX);
        let mut matches =
            self.prebuilds.range(..before).rev().map(|(_, rec)| rec).filter(|rec| keep(&filter, &rec.prebuild));
        let prebuilds: Vec<_> = matches.by_ref().take(page.size).collect();
        let next_token = match (prebuilds.last(), matches.next()) {
            (Some(last), Some(_)) => page.next_token(last.seq),
            _ => String::new(),
        };
        respond!(ListPrebuildsResponse {
            prebuilds: prebuilds.into_iter().map(|rec| rec.prebuild.clone()).collect(),
            pagination: PaginationResponse { next_token: next_token.into() },
        })
    }

    pub(super) fn cancel_prebuild(&mut self, id: &str, now: i64) -> Result<String, ApiError> {
        let rec = self.prebuild_mut(id)?;
        let pb = &rec.prebuild;
        match pb.status.phase {
            PrebuildPhase::Pending
            | PrebuildPhase::Starting
            | PrebuildPhase::Running
            | PrebuildPhase::Stopping
            | PrebuildPhase::Snapshotting => begin_cancel(rec, now),
            // Cancelling twice is harmless: a client may retry after a lost response.
            PrebuildPhase::Cancelling => {}
            ref other => {
                return Err(ApiError::new(
                    Code::FailedPrecondition,
                    format!("prebuild {} is {}: only an unfinished prebuild can be cancelled", pb.id, other.as_str()),
                ))
            }
        }
        respond!(PrebuildResponse { prebuild: rec.prebuild.clone() })
    }

    pub(super) fn delete_prebuild(&mut self, id: &str, now: i64) -> Result<String, ApiError> {
        let rec = self.prebuild_mut(id)?;
        // Deleting a prebuild that is already being deleted succeeds: a client that
        // retries after a lost response must not see an error for its own delete.
        if !matches!(rec.prebuild.status.phase, PrebuildPhase::Deleting | PrebuildPhase::Deleted) {
            stop_for_delete(rec);
            let pb = &mut rec.prebuild;
            pb.spec.desired_phase = PrebuildPhase::Deleted;
            bump(&mut pb.spec.spec_version);
            pb.status.phase = PrebuildPhase::Deleting;
            bump(&mut pb.status.status_version);
            pb.metadata.updated_at = Some(rfc3339(now).into());
            rec.driver = Some(Driver::quick());
        }
        respond!(Empty {})
    }

    pub(super) fn logs_token(&mut self, id: &str, now: i64) -> Result<String, ApiError> {
        let prebuild_id = self.prebuild_mut(id)?.prebuild.id.to_string();
        let access_token = self.mint_logs_token(&prebuild_id, now);
        respond!(LogsTokenResponse { access_token: access_token.into() })
    }
}

/// Whether a prebuild passes a filter: every given list must contain its value.
fn keep(f: &PrebuildFilter, pb: &Prebuild<'_>) -> bool {
    let any = |ids: &[String], id: &str| ids.is_empty() || ids.iter().any(|x| x.eq_ignore_ascii_case(id));
    any(&f.project_ids, &pb.metadata.project_id)
        && any(&f.creator_ids, &pb.metadata.creator.id)
        && any(&f.executor_ids, &pb.metadata.executor.id)
        && (f.phases.is_empty() || f.phases.contains(&pb.status.phase))
        && (f.triggered_by.is_empty() || f.triggered_by.contains(&pb.metadata.triggered_by))
}
