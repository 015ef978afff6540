//! The service's enums. Each keeps a name it does not know (a newer server may send
//! one) instead of failing, and serialises as its wire name. Each is declared once,
//! giving the Rust enum and its descriptor for the schema's reader.

/// What every protobuf enum of the service can do.
pub trait ProtoEnum: Sized {
    /// The value for a wire name; an unknown name is kept as it is.
    fn from_name(name: &str) -> Self;
    /// The value for a wire number; an unknown number is kept as its decimal text.
    fn from_number(number: i64) -> Self;
    /// The wire name.
    fn as_str(&self) -> &str;
    /// Whether this is one of the values this client knows.
    fn is_known(&self) -> bool;
    /// Every known wire name, in number order (for messages that say what is allowed).
    fn names() -> &'static [&'static str];
}

macro_rules! proto_enum {
    ($(#[$doc:meta])* $name:ident as $desc:ident { $($(#[$vdoc:meta])* $variant:ident = $num:literal => $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this version of the client does not know, as the server sent it.
            Unknown(String),
        }

        impl ProtoEnum for $name {
            fn from_name(name: &str) -> Self {
                match name {
                    $($wire => $name::$variant,)*
                    other => $name::Unknown(other.to_string()),
                }
            }
            fn from_number(number: i64) -> Self {
                match number {
                    $($num => $name::$variant,)*
                    other => $name::Unknown(other.to_string()),
                }
            }
            fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(s) => s,
                }
            }
            fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }
            fn names() -> &'static [&'static str] {
                &[$($wire),*]
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Read from canonical JSON (the reader's output): the wire name.
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let name = <std::borrow::Cow<'de, str> as serde::Deserialize<'de>>::deserialize(d)?;
                Ok($name::from_name(&name))
            }
        }

        impl $crate::schema::declare::Unset for $name {
            fn unset(&self) -> bool {
                false
            }
        }

        #[doc = concat!("The descriptor of [`", stringify!($name), "`]: its values, in number order.")]
        pub static $desc: $crate::schema::desc::Enum =
            $crate::schema::desc::Enum { values: &[$(($num, $wire)),*] };
    };
}

proto_enum! {
    /// The kind of identity behind a [`Subject`](crate::model::Subject).
    Principal as PRINCIPAL {
        /// Not set.
        Unspecified = 0 => "PRINCIPAL_UNSPECIFIED",
        /// An account.
        Account = 1 => "PRINCIPAL_ACCOUNT",
        /// A user.
        User = 2 => "PRINCIPAL_USER",
        /// A runner.
        Runner = 3 => "PRINCIPAL_RUNNER",
        /// An environment.
        Environment = 4 => "PRINCIPAL_ENVIRONMENT",
        /// A service account.
        ServiceAccount = 5 => "PRINCIPAL_SERVICE_ACCOUNT",
        /// A runner manager.
        RunnerManager = 6 => "PRINCIPAL_RUNNER_MANAGER",
    }
}

proto_enum! {
    /// Where a prebuild is in its lifecycle.
    PrebuildPhase as PREBUILD_PHASE {
        /// Not set.
        Unspecified = 0 => "PREBUILD_PHASE_UNSPECIFIED",
        /// Accepted, waiting to start.
        Pending = 10 => "PREBUILD_PHASE_PENDING",
        /// The prebuild environment is starting.
        Starting = 20 => "PREBUILD_PHASE_STARTING",
        /// The prebuild tasks are running.
        Running = 30 => "PREBUILD_PHASE_RUNNING",
        /// The environment is stopping.
        Stopping = 40 => "PREBUILD_PHASE_STOPPING",
        /// The snapshot is being taken.
        Snapshotting = 50 => "PREBUILD_PHASE_SNAPSHOTTING",
        /// Done: the snapshot is available.
        Completed = 60 => "PREBUILD_PHASE_COMPLETED",
        /// Failed: see the failure message.
        Failed = 70 => "PREBUILD_PHASE_FAILED",
        /// A cancel was asked for and is under way.
        Cancelling = 75 => "PREBUILD_PHASE_CANCELLING",
        /// Cancelled.
        Cancelled = 80 => "PREBUILD_PHASE_CANCELLED",
        /// Being deleted.
        Deleting = 85 => "PREBUILD_PHASE_DELETING",
        /// Deleted.
        Deleted = 90 => "PREBUILD_PHASE_DELETED",
    }
}

proto_enum! {
    /// What started a prebuild.
    PrebuildTrigger as PREBUILD_TRIGGER {
        /// Not set.
        Unspecified = 0 => "PREBUILD_TRIGGER_UNSPECIFIED",
        /// Started by hand, through the API or the dashboard.
        Manual = 1 => "PREBUILD_TRIGGER_MANUAL",
        /// Started by the project's schedule.
        Scheduled = 2 => "PREBUILD_TRIGGER_SCHEDULED",
    }
}

proto_enum! {
    /// Where a warm pool is in its lifecycle.
    WarmPoolPhase as WARM_POOL_PHASE {
        /// Not set.
        Unspecified = 0 => "WARM_POOL_PHASE_UNSPECIFIED",
        /// Waiting for a completed prebuild to warm up.
        Pending = 10 => "WARM_POOL_PHASE_PENDING",
        /// Instances are warm and can be claimed.
        Ready = 20 => "WARM_POOL_PHASE_READY",
        /// In trouble: see the failure message.
        Degraded = 30 => "WARM_POOL_PHASE_DEGRADED",
        /// Being deleted.
        Deleting = 40 => "WARM_POOL_PHASE_DELETING",
        /// Deleted.
        Deleted = 50 => "WARM_POOL_PHASE_DELETED",
    }
}

macro_rules! default_unspecified {
    ($($name:ident),*) => {$(
        impl Default for $name {
            fn default() -> Self {
                $name::Unspecified
            }
        }
    )*};
}
default_unspecified!(Principal, PrebuildPhase, PrebuildTrigger, WarmPoolPhase);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_round_trip() {
        for name in PrebuildPhase::names() {
            let p = PrebuildPhase::from_name(name);
            assert!(p.is_known());
            assert_eq!(p.as_str(), *name);
        }
        assert_eq!(PrebuildPhase::from_number(75), PrebuildPhase::Cancelling);
        assert_eq!(WarmPoolPhase::from_number(20), WarmPoolPhase::Ready);
    }

    #[test]
    fn unknown_values_are_kept() {
        let p = PrebuildPhase::from_name("PREBUILD_PHASE_HIBERNATING");
        assert!(!p.is_known());
        assert_eq!(p.as_str(), "PREBUILD_PHASE_HIBERNATING");
        assert_eq!(Principal::from_number(42).as_str(), "42");
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"PREBUILD_PHASE_HIBERNATING\"");
    }
}
