//! The fixed world around prebuilds: organisations, runners, environment classes,
//! projects and people. Their ids do not depend on `--seed`, so a demo or a test can
//! rely on them across runs (they are printed at start and served at `/_sim/info`).

use gitpod_prebuilds::model::{Principal, ProtoEnum, Subject};
use serde_json::{json, Value};

use crate::rng::Rng;

/// How the prebuilds of a project end, so tests and demos can predict it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Prebuilds complete.
    Succeeds,
    /// Prebuilds complete with a warning message.
    Warns,
    /// Prebuilds fail while running.
    Fails,
}

/// An organisation.
#[derive(Debug)]
pub struct Org {
    /// Its UUID.
    pub id: String,
    /// Its display name.
    pub name: &'static str,
}

/// A runner, which runs environments of some classes.
#[derive(Debug)]
pub struct Runner {
    /// Its UUID.
    pub id: String,
    /// Its name.
    pub name: &'static str,
    /// Index of its organisation.
    pub org: usize,
}

/// An environment class (a machine size on a runner).
#[derive(Debug)]
pub struct EnvClass {
    /// Its UUID.
    pub id: String,
    /// Its display name.
    pub name: &'static str,
    /// Index of its runner.
    pub runner: usize,
}

/// A project: a repository with its environment classes.
#[derive(Debug)]
pub struct Project {
    /// Its UUID.
    pub id: String,
    /// Its name (`acme/web-app`).
    pub name: &'static str,
    /// Index of its organisation.
    pub org: usize,
    /// Indexes of the environment classes it may use.
    pub classes: Vec<usize>,
    /// Index of the class used when a request names none.
    pub default_class: usize,
    /// Whether prebuilds (and so warm pools) are enabled.
    pub prebuilds_enabled: bool,
    /// How its prebuilds end.
    pub behaviour: Behaviour,
}

/// A user or service account.
#[derive(Debug)]
pub struct Person {
    /// Its UUID.
    pub id: String,
    /// Its display name.
    pub name: &'static str,
    /// A user (true) or a service account (false).
    pub is_user: bool,
    /// Index of its organisation.
    pub org: usize,
}

/// The whole fixed world.
#[derive(Debug)]
pub struct Catalog {
    /// Organisations.
    pub orgs: Vec<Org>,
    /// Runners.
    pub runners: Vec<Runner>,
    /// Environment classes.
    pub classes: Vec<EnvClass>,
    /// Projects.
    pub projects: Vec<Project>,
    /// Users and service accounts.
    pub people: Vec<Person>,
}

const ORGS: [&str; 3] = ["Acme Corp", "Globex", "Initech"];

const RUNNERS: [(&str, usize); 4] =
    [("acme-aws-eu-central-1", 0), ("acme-gcp-us-east1", 0), ("globex-aws-us-west-2", 1), ("initech-on-prem", 2)];

const CLASSES: [(&str, usize); 7] = [
    ("EU Regular: 4 vCPU, 16 GiB RAM, 50 GiB disk", 0),
    ("EU Large: 8 vCPU, 32 GiB RAM, 100 GiB disk", 0),
    ("US Regular: 4 vCPU, 16 GiB RAM, 50 GiB disk", 1),
    ("US GPU: 8 vCPU, 32 GiB RAM, 1x NVIDIA L4", 1),
    ("Standard: 2 vCPU, 8 GiB RAM", 2),
    ("Performance: 16 vCPU, 64 GiB RAM", 2),
    ("Default: 4 vCPU, 8 GiB RAM", 3),
];

struct ProjectDef {
    name: &'static str,
    org: usize,
    classes: &'static [usize],
    default_class: usize,
    enabled: bool,
    behaviour: Behaviour,
}

/// Index of `acme/web-app`, whose Large class has completed prebuilds and no warm
/// pool: the pair a demo creates a warm pool for.
pub const FREE_PAIR: (usize, usize) = (0, 1);

const PROJECTS: [ProjectDef; 8] = [
    ProjectDef {
        name: "acme/web-app",
        org: 0,
        classes: &[0, 1],
        default_class: 0,
        enabled: true,
        behaviour: Behaviour::Succeeds,
    },
    ProjectDef {
        name: "acme/api-server",
        org: 0,
        classes: &[0, 2],
        default_class: 0,
        enabled: true,
        behaviour: Behaviour::Warns,
    },
    ProjectDef {
        name: "acme/ml-training",
        org: 0,
        classes: &[2, 3],
        default_class: 3,
        enabled: true,
        behaviour: Behaviour::Succeeds,
    },
    ProjectDef {
        name: "acme/legacy-monolith",
        org: 0,
        classes: &[0],
        default_class: 0,
        enabled: true,
        behaviour: Behaviour::Fails,
    },
    ProjectDef {
        name: "acme/handbook",
        org: 0,
        classes: &[0],
        default_class: 0,
        enabled: false,
        behaviour: Behaviour::Succeeds,
    },
    ProjectDef {
        name: "globex/monorepo",
        org: 1,
        classes: &[4, 5],
        default_class: 5,
        enabled: true,
        behaviour: Behaviour::Succeeds,
    },
    ProjectDef {
        name: "globex/data-pipeline",
        org: 1,
        classes: &[4],
        default_class: 4,
        enabled: true,
        behaviour: Behaviour::Succeeds,
    },
    ProjectDef {
        name: "initech/tps-reports",
        org: 2,
        classes: &[6],
        default_class: 6,
        enabled: true,
        behaviour: Behaviour::Warns,
    },
];

/// Users first within an organisation: the first user is the one the simulator
/// acts as for new prebuilds.
const PEOPLE: [(&str, bool, usize); 10] = [
    ("Alice Chen", true, 0),
    ("Bob Okafor", true, 0),
    ("Carol Díaz", true, 0),
    ("acme-prebuild-bot", false, 0),
    ("Dave Kowalski", true, 1),
    ("Erin Müller", true, 1),
    ("globex-ci", false, 1),
    ("Peter Gibbons", true, 2),
    ("Samir Nagheenanajar", true, 2),
    ("initech-scheduler", false, 2),
];

impl Catalog {
    /// The fixed world; ids come from a constant seed.
    pub fn new() -> Catalog {
        let mut rng = Rng::new(0xCA7A_1061);
        Catalog {
            orgs: ORGS.iter().map(|name| Org { id: rng.uuid(), name }).collect(),
            runners: RUNNERS.iter().map(|&(name, org)| Runner { id: rng.uuid(), name, org }).collect(),
            classes: CLASSES.iter().map(|&(name, runner)| EnvClass { id: rng.uuid(), name, runner }).collect(),
            projects: PROJECTS
                .iter()
                .map(|d| Project {
                    id: rng.uuid(),
                    name: d.name,
                    org: d.org,
                    classes: d.classes.to_vec(),
                    default_class: d.default_class,
                    prebuilds_enabled: d.enabled,
                    behaviour: d.behaviour,
                })
                .collect(),
            people: PEOPLE.iter().map(|&(name, is_user, org)| Person { id: rng.uuid(), name, is_user, org }).collect(),
        }
    }

    /// The project with this id.
    pub fn project(&self, id: &str) -> Option<usize> {
        self.projects.iter().position(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// The environment class with this id.
    pub fn class(&self, id: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.id.eq_ignore_ascii_case(id))
    }

    /// The organisation of an environment class (through its runner).
    pub fn class_org(&self, class: usize) -> usize {
        self.runners[self.classes[class].runner].org
    }

    /// A person as a wire subject.
    pub fn subject(&self, person: usize) -> Subject<'static> {
        let p = &self.people[person];
        Subject { id: p.id.clone().into(), principal: principal(p.is_user) }
    }

    /// The users of an organisation.
    pub fn users(&self, org: usize) -> Vec<usize> {
        (0..self.people.len()).filter(|&i| self.people[i].org == org && self.people[i].is_user).collect()
    }

    /// The service account of an organisation (it runs scheduled prebuilds).
    pub fn service_account(&self, org: usize) -> usize {
        (0..self.people.len()).find(|&i| self.people[i].org == org && !self.people[i].is_user).unwrap_or(0)
    }

    /// Who the simulator acts as in an organisation: its first user, since tokens are
    /// not mapped to identities.
    pub fn caller(&self, org: usize) -> usize {
        self.users(org).first().copied().unwrap_or(0)
    }

    /// The discovery document of `/_sim/info` (without the seed-dependent hints).
    pub fn info(&self) -> Value {
        json!({
            "organizations": self.orgs.iter().map(|o| json!({ "id": o.id, "name": o.name })).collect::<Vec<_>>(),
            "runners": self.runners.iter().map(|r| json!({
                "id": r.id, "name": r.name, "organizationId": self.orgs[r.org].id,
            })).collect::<Vec<_>>(),
            "environmentClasses": self.classes.iter().enumerate().map(|(i, c)| json!({
                "id": c.id, "name": c.name, "runnerId": self.runners[c.runner].id,
                "organizationId": self.orgs[self.class_org(i)].id,
            })).collect::<Vec<_>>(),
            "projects": self.projects.iter().map(|p| json!({
                "id": p.id,
                "name": p.name,
                "organizationId": self.orgs[p.org].id,
                "environmentClassIds": p.classes.iter().map(|&c| self.classes[c].id.clone()).collect::<Vec<_>>(),
                "defaultEnvironmentClassId": self.classes[p.default_class].id,
                "prebuildsEnabled": p.prebuilds_enabled,
                "prebuildOutcome": match p.behaviour {
                    Behaviour::Succeeds => "completes",
                    Behaviour::Warns => "completes with a warning",
                    Behaviour::Fails => "fails",
                },
            })).collect::<Vec<_>>(),
            "subjects": self.people.iter().map(|p| json!({
                "id": p.id,
                "principal": principal(p.is_user).as_str(),
                "name": p.name,
                "organizationId": self.orgs[p.org].id,
            })).collect::<Vec<_>>(),
        })
    }
}

fn principal(is_user: bool) -> Principal {
    if is_user {
        Principal::User
    } else {
        Principal::ServiceAccount
    }
}
