//! Who did something: a user, a service account, a runner...

use super::{Principal, Text, PRINCIPAL};
use crate::schema::desc::Kind;

message! {
    /// An identity: the creator or executor of a prebuild.
    pub struct Subject<'a> as SUBJECT (response) {
        /// The subject's UUID.
        id: Text<'a> = always("id", "id", Str),
        /// What kind of identity it is.
        principal: Principal = always("principal", "principal", (Kind::Enum(&PRINCIPAL))),
    }
}
