//! Warm pools: running instances of a prebuild's snapshot, ready to be claimed.

use serde::{Deserialize, Serialize};

use super::{zero, Text, WarmPoolPhase};

/// Pre-created environment instances from a prebuild snapshot, one pool per project
/// and environment class.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPool<'a> {
    /// The warm pool's UUID.
    #[serde(default, borrow, deserialize_with = "crate::wire::text")]
    pub id: Text<'a>,
    /// Ownership.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub metadata: WarmPoolMetadata<'a>,
    /// The desired configuration.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub spec: WarmPoolSpec<'a>,
    /// What the runner reports.
    #[serde(default, borrow, deserialize_with = "crate::wire::message")]
    pub status: WarmPoolStatus<'a>,
}

/// Ownership of a warm pool.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPoolMetadata<'a> {
    /// The organisation that owns it.
    #[serde(default, borrow, alias = "organization_id", deserialize_with = "crate::wire::text")]
    pub organization_id: Text<'a>,
    /// The project it belongs to.
    #[serde(default, borrow, alias = "project_id", deserialize_with = "crate::wire::text")]
    pub project_id: Text<'a>,
    /// The environment class whose instances it warms.
    #[serde(default, borrow, alias = "environment_class_id", deserialize_with = "crate::wire::text")]
    pub environment_class_id: Text<'a>,
    /// The runner that manages it (derived from the environment class).
    #[serde(default, borrow, alias = "runner_id", deserialize_with = "crate::wire::text")]
    pub runner_id: Text<'a>,
    /// When it was created (RFC 3339).
    #[serde(default, borrow, alias = "created_at", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Text<'a>>,
    /// When it was last updated (RFC 3339).
    #[serde(default, borrow, alias = "updated_at", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Text<'a>>,
}

/// The desired configuration of a warm pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPoolSpec<'a> {
    /// Grows with each change of the spec (a 64-bit integer, as text).
    #[serde(default = "zero", borrow, alias = "spec_version", deserialize_with = "crate::wire::int64")]
    pub spec_version: Text<'a>,
    /// Deprecated fixed size; use `min_size` and `max_size`.
    #[serde(default, alias = "desired_size", deserialize_with = "crate::wire::int32")]
    pub desired_size: i32,
    /// The prebuild snapshot being warmed; absent until a prebuild completed.
    #[serde(default, borrow, alias = "snapshot_id", deserialize_with = "crate::wire::opt_text")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<Text<'a>>,
    /// The phase the reconciler drives it to.
    #[serde(default, alias = "desired_phase", deserialize_with = "super::enum_or_default")]
    pub desired_phase: WarmPoolPhase,
    /// The fewest instances to keep (0 allows full scale-down).
    #[serde(default, alias = "min_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size: Option<i32>,
    /// The most instances to keep (at most 20).
    #[serde(default, alias = "max_size", deserialize_with = "crate::wire::opt_int32")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size: Option<i32>,
}

impl Default for WarmPoolSpec<'_> {
    fn default() -> Self {
        WarmPoolSpec {
            spec_version: zero(),
            desired_size: 0,
            snapshot_id: None,
            desired_phase: WarmPoolPhase::default(),
            min_size: None,
            max_size: None,
        }
    }
}

/// What the runner reports about a warm pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarmPoolStatus<'a> {
    /// Where it is in its lifecycle.
    #[serde(default, deserialize_with = "super::enum_or_default")]
    pub phase: WarmPoolPhase,
    /// Why it is degraded or failed.
    #[serde(default, borrow, alias = "failure_message", deserialize_with = "crate::wire::text")]
    pub failure_message: Text<'a>,
    /// Grows with each change of the status (a 64-bit integer, as text).
    #[serde(default = "zero", borrow, alias = "status_version", deserialize_with = "crate::wire::int64")]
    pub status_version: Text<'a>,
    /// Running instances, ready to be claimed.
    #[serde(default, alias = "running_instances", deserialize_with = "crate::wire::int32")]
    pub running_instances: i32,
    /// Provisioned but stopped instances, used to back-fill quickly.
    #[serde(default, alias = "stopped_instances", deserialize_with = "crate::wire::int32")]
    pub stopped_instances: i32,
    /// The autoscaler's current target.
    #[serde(default, alias = "desired_size", deserialize_with = "crate::wire::int32")]
    pub desired_size: i32,
}

impl Default for WarmPoolStatus<'_> {
    fn default() -> Self {
        WarmPoolStatus {
            phase: WarmPoolPhase::default(),
            failure_message: Text::Borrowed(""),
            status_version: zero(),
            running_instances: 0,
            stopped_instances: 0,
            desired_size: 0,
        }
    }
}
