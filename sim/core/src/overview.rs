//! The overview a server prints at start: the seed, the faults, and each
//! organisation's projects (how their prebuilds end), classes and people, with the ids
//! worth knowing, so a developer can start calling without looking anything up.

use std::fmt::Write as _;

use crate::service::Service;

/// The overview's lines, each indented by two spaces.
pub(crate) fn overview(svc: &Service) -> String {
    let cfg = &svc.config;
    let state = &svc.state;
    let cat = state.catalog();
    let (prebuilds, pools) = state.counts();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "  seed {}    {prebuilds} prebuilds, {pools} warm pools; tick {} ms (a new prebuild completes after 18 ticks)",
        cfg.seed, cfg.tick_ms
    );
    if cfg.fault_rate > 0.0 {
        let _ = writeln!(s, "  faults    {:.0} % of API calls fail at random", cfg.fault_rate * 100.0);
        if cfg.commit_share > 0.0 {
            let _ = writeln!(s, "            {:.0} % of those after the call was applied", cfg.commit_share * 100.0);
        }
    }
    for (o, org) in cat.orgs.iter().enumerate() {
        let _ = writeln!(s, "  organization {}  {}", org.id, org.name);
        for p in cat.projects.iter().filter(|p| p.org == o) {
            let note = if p.prebuilds_enabled {
                format!("{:?}", p.behaviour).to_lowercase()
            } else {
                "prebuilds disabled".into()
            };
            let _ = writeln!(s, "    project {}  {}  ({note})", p.id, p.name);
            for &c in &p.classes {
                let class = &cat.classes[c];
                let default = if c == p.default_class { "  [default]" } else { "" };
                let _ = writeln!(s, "      class {}  {}{default}", class.id, class.name);
            }
        }
        for (i, person) in cat.people.iter().enumerate().filter(|(_, p)| p.org == o) {
            let kind = if person.is_user { "user" } else { "service account" };
            let caller = if cat.caller(o) == i { "  [creates new prebuilds]" } else { "" };
            let _ = writeln!(s, "    {kind} {}  {}{caller}", person.id, person.name);
        }
    }
    let hints = state.hints();
    let _ = writeln!(
        s,
        "  no warm pool yet (has a completed prebuild): project {} class {}",
        hints.free_pair.0, hints.free_pair.1
    );
    let _ = writeln!(s, "  prebuild with HTML in its messages: {}", hints.html_prebuild_id);
    s
}
