//! `x-sim-outcome` on CreatePrebuild: how the new prebuild ends, whatever its project,
//! so that client tests can get a COMPLETED, a FAILED or a CANCELLED prebuild (and its
//! log) from any project, deterministically.

use gitpod_prebuilds::api::Method;

use crate::state::ForcedOutcome;

/// The request header.
pub const HEADER: &str = "x-sim-outcome";

/// The outcome a request asks for: `None` without the header; an error (saying what
/// is allowed) for an unknown value, a value that is not text, or a method other than
/// CreatePrebuild.
pub fn parse(method: Method, value: Option<&[u8]>) -> Result<Option<ForcedOutcome>, String> {
    let Some(value) = value else { return Ok(None) };
    if method != Method::CreatePrebuild {
        return Err(format!("{HEADER} applies to CreatePrebuild only, not to {}", method.name()));
    }
    let text = std::str::from_utf8(value).unwrap_or("").trim().to_ascii_lowercase();
    match text.as_str() {
        "completed" => Ok(Some(ForcedOutcome::Completed)),
        "warning" => Ok(Some(ForcedOutcome::Warning)),
        "failed" => Ok(Some(ForcedOutcome::Failed)),
        "cancelled" => Ok(Some(ForcedOutcome::Cancelled)),
        _ => Err(format!(
            "{HEADER}: unknown outcome {:?}; use completed, warning, failed or cancelled",
            String::from_utf8_lossy(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_methods() {
        assert_eq!(parse(Method::CreatePrebuild, None), Ok(None));
        assert_eq!(parse(Method::GetPrebuild, None), Ok(None));
        assert_eq!(parse(Method::CreatePrebuild, Some(b" Failed ")), Ok(Some(ForcedOutcome::Failed)));
        assert_eq!(parse(Method::CreatePrebuild, Some(b"cancelled")), Ok(Some(ForcedOutcome::Cancelled)));
        assert_eq!(parse(Method::CreatePrebuild, Some(b"completed")), Ok(Some(ForcedOutcome::Completed)));
        assert_eq!(parse(Method::CreatePrebuild, Some(b"warning")), Ok(Some(ForcedOutcome::Warning)));
        let e = parse(Method::CreatePrebuild, Some(b"exploded")).unwrap_err();
        assert!(e.contains("completed, warning, failed or cancelled"), "{e}");
        assert!(parse(Method::CreatePrebuild, Some(b"\xff")).is_err());
        let e = parse(Method::GetPrebuild, Some(b"failed")).unwrap_err();
        assert!(e.contains("CreatePrebuild only"), "{e}");
    }
}
