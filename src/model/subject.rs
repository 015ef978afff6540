//! Who did something: a user, a service account, a runner...

use serde::Serialize;

use super::Principal;
use crate::json::{FieldError, Obj};

/// An identity: the creator or executor of a prebuild.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// The subject's UUID.
    pub id: String,
    /// What kind of identity it is.
    pub principal: Principal,
}

impl Subject {
    pub(crate) fn decode(o: &Obj<'_>) -> Result<Self, FieldError> {
        Ok(Subject {
            id: o.string("id")?.unwrap_or_default(),
            principal: o.enumeration("principal")?.unwrap_or_default(),
        })
    }
}
