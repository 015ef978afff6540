//! The warm pool methods: create, get, list, update, delete.

use gitpod_prebuilds::api::{
    check_min_max, CreateWarmPoolRequest, Empty, ListWarmPoolsRequest, ListWarmPoolsResponse, UpdateWarmPoolRequest,
    WarmPoolFilter, WarmPoolResponse,
};
use gitpod_prebuilds::model::{
    PaginationResponse, ProtoEnum, Text, WarmPool, WarmPoolMetadata, WarmPoolPhase, WarmPoolSpec, WarmPoolStatus,
};
use gitpod_prebuilds::protocol::Code;

use super::paging::{self, ListKind, PageQuery};
use super::prebuilds::QUICK_TICKS;
use super::{bump, respond, ApiError, PoolRec, State};
use crate::time::rfc3339;

/// The size the simulated autoscaler settles on: the middle of `[min, max]`, rounded
/// up (there is no demand to follow, so it is stable).
pub fn autoscaler_target(min: i32, max: i32) -> i32 {
    ((min + max + 1) / 2).clamp(min, max.max(min))
}

impl State {
    pub(super) fn create_warm_pool(&mut self, r: CreateWarmPoolRequest, now: i64) -> Result<String, ApiError> {
        let (p, c) = self.project_and_class(&r.project_id, Some(&r.environment_class_id))?;
        let (project_id, class_id) = (self.catalog.projects[p].id.clone(), self.catalog.classes[c].id.clone());
        // A DELETED pool is a tombstone: it no longer holds the pair.
        if let Some(existing) = self.pools.values().find(|rec| {
            rec.pool.metadata.project_id == project_id
                && rec.pool.metadata.environment_class_id == class_id
                && rec.pool.status.phase != WarmPoolPhase::Deleted
        }) {
            return Err(ApiError::new(
                Code::AlreadyExists,
                format!(
                    "warm pool {} ({}) already exists for project {project_id} and environment class {class_id}",
                    existing.pool.id,
                    existing.pool.status.phase.as_str()
                ),
            ));
        }
        // The deprecated desiredSize migrates to minSize = maxSize = desiredSize.
        let min = r.min_size.or(r.desired_size).unwrap_or_else(|| r.max_size.map_or(1, |m| m.min(1)));
        let max = r.max_size.or(r.desired_size).unwrap_or(min.max(1));
        check_min_max(Some(min), Some(max))?;
        let runner = self.catalog.classes[c].runner;
        let at = Some(Text::from(rfc3339(now)));
        let pool = WarmPool {
            id: self.rng.uuid().into(),
            metadata: WarmPoolMetadata {
                organization_id: self.catalog.orgs[self.catalog.projects[p].org].id.clone().into(),
                project_id: project_id.into(),
                environment_class_id: class_id.into(),
                runner_id: self.catalog.runners[runner].id.clone().into(),
                created_at: at.clone(),
                updated_at: at,
            },
            spec: WarmPoolSpec {
                spec_version: "1".into(),
                desired_size: r.desired_size.unwrap_or(0),
                snapshot_id: None,
                desired_phase: WarmPoolPhase::Ready,
                min_size: Some(min),
                max_size: Some(max),
            },
            status: WarmPoolStatus {
                phase: WarmPoolPhase::Pending,
                status_version: "1".into(),
                desired_size: autoscaler_target(min, max),
                ..Default::default()
            },
        };
        let seq = self.take_seq();
        self.pool_seqs.insert(pool.id.to_string(), seq);
        self.pools.insert(seq, PoolRec { seq, pool: pool.clone(), every: 1, countdown: QUICK_TICKS, tombstone: false });
        respond!(WarmPoolResponse { warm_pool: pool })
    }

    fn pool_mut(&mut self, id: &str) -> Result<&mut PoolRec, ApiError> {
        let seq = self.pool_seqs.get(&id.to_ascii_lowercase()).copied();
        seq.and_then(|s| self.pools.get_mut(&s)).ok_or_else(|| State::not_found("warm pool", id))
    }

    pub(super) fn get_warm_pool(&mut self, id: &str) -> Result<String, ApiError> {
        let rec = self.pool_mut(id)?;
        respond!(WarmPoolResponse { warm_pool: rec.pool.clone() })
    }

    pub(super) fn list_warm_pools(&self, r: &ListWarmPoolsRequest, query: &PageQuery) -> Result<String, ApiError> {
        let filter = r.filter.clone().unwrap_or_default();
        let filter_json = respond!(filter)?;
        let page = paging::resolve(
            ListKind::WarmPools,
            &filter_json,
            query,
            r.token.as_deref(),
            r.page_size,
            r.pagination.as_ref(),
        )?;
        let before = page.before.unwrap_or(u64::MAX);
        let mut matches = self.pools.range(..before).rev().map(|(_, rec)| rec).filter(|rec| keep(&filter, &rec.pool));
        let pools: Vec<_> = matches.by_ref().take(page.size).collect();
        let next_token = match (pools.last(), matches.next()) {
            (Some(last), Some(_)) => page.next_token(last.seq),
            _ => String::new(),
        };
        respond!(ListWarmPoolsResponse {
            warm_pools: pools.into_iter().map(|rec| rec.pool.clone()).collect(),
            pagination: PaginationResponse { next_token: next_token.into() },
        })
    }

    pub(super) fn update_warm_pool(&mut self, r: UpdateWarmPoolRequest, now: i64) -> Result<String, ApiError> {
        let rec = self.pool_mut(&r.warm_pool_id)?;
        let pool = &mut rec.pool;
        if matches!(pool.status.phase, WarmPoolPhase::Deleting | WarmPoolPhase::Deleted) {
            return Err(ApiError::new(
                Code::FailedPrecondition,
                format!("warm pool {} is {}: it can no longer be updated", pool.id, pool.status.phase.as_str()),
            ));
        }
        let min = r.min_size.or(r.desired_size).or(pool.spec.min_size);
        let max = r.max_size.or(r.desired_size).or(pool.spec.max_size);
        // The library checks the request alone; the pool's current sizes count too.
        check_min_max(min, max)?;
        let desired = r.desired_size.unwrap_or(pool.spec.desired_size);
        if (min, max, desired) != (pool.spec.min_size, pool.spec.max_size, pool.spec.desired_size) {
            pool.spec.min_size = min;
            pool.spec.max_size = max;
            pool.spec.desired_size = desired;
            bump(&mut pool.spec.spec_version);
            pool.metadata.updated_at = Some(rfc3339(now).into());
        }
        respond!(WarmPoolResponse { warm_pool: rec.pool.clone() })
    }

    pub(super) fn delete_warm_pool(&mut self, id: &str, now: i64) -> Result<String, ApiError> {
        let rec = self.pool_mut(id)?;
        let pool = &mut rec.pool;
        // Idempotent, like DeletePrebuild: a retried delete succeeds.
        if !matches!(pool.status.phase, WarmPoolPhase::Deleting | WarmPoolPhase::Deleted) {
            pool.spec.desired_phase = WarmPoolPhase::Deleted;
            bump(&mut pool.spec.spec_version);
            pool.status.phase = WarmPoolPhase::Deleting;
            pool.status.failure_message = Text::Borrowed("");
            bump(&mut pool.status.status_version);
            pool.metadata.updated_at = Some(rfc3339(now).into());
            rec.every = 1;
            rec.countdown = QUICK_TICKS;
            rec.tombstone = false;
        }
        respond!(Empty {})
    }
}

fn keep(f: &WarmPoolFilter, pool: &WarmPool<'_>) -> bool {
    let any = |ids: &[String], id: &str| ids.is_empty() || ids.iter().any(|x| x.eq_ignore_ascii_case(id));
    any(&f.project_ids, &pool.metadata.project_id) && any(&f.environment_class_ids, &pool.metadata.environment_class_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_autoscaler_stays_within_bounds() {
        assert_eq!(autoscaler_target(2, 5), 4);
        assert_eq!(autoscaler_target(0, 1), 1);
        assert_eq!(autoscaler_target(3, 3), 3);
        assert_eq!(autoscaler_target(0, 20), 10);
    }
}
