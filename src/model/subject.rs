//! Who did something: a user, a service account, a runner...

use super::Principal;
use crate::json::{FieldError, Obj, ObjectWriter, ToJson};

/// An identity: the creator or executor of a prebuild.
#[derive(Debug, Clone, PartialEq, Default)]
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

impl ToJson for Subject {
    fn write_json(&self, out: &mut String) {
        ObjectWriter::new(out).str("id", &self.id).value("principal", &self.principal).end();
    }
}
