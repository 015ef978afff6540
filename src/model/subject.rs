//! Who did something: a user, a service account, a runner...

use serde::{Deserialize, Serialize};

use super::{Principal, Text};

/// An identity: the creator or executor of a prebuild.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject<'a> {
    /// The subject's UUID.
    #[serde(default, borrow, deserialize_with = "crate::wire::text")]
    pub id: Text<'a>,
    /// What kind of identity it is.
    #[serde(default, deserialize_with = "super::enum_or_default")]
    pub principal: Principal,
}
