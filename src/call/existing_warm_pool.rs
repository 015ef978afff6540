//! createWarmPool after a lost answer. A project and environment class have at most
//! one warm pool, so when an attempt whose outcome is unknown (a timeout, a dropped
//! connection, a gateway error) is followed by a retry that gets `already_exists`, the
//! pool is most likely the one the lost attempt created. The call then finds it
//! (listWarmPools filtered by the project and class, page by page), reads it back with
//! getWarmPool and answers with that, as the lost answer would have. When that finds
//! nothing or fails, the call ends with the `already_exists` error, saying what was
//! tried.

use super::{attempts, CallOptions, ClientConfig, Transport};
use crate::api::{list, Call, Method, MAX_PAGE_SIZE};
use crate::error::Error;
use crate::retry::policy::Policy;
use crate::schema::messages::{PAGINATION_RESPONSE, WARM_POOL, WARM_POOL_METADATA, WARM_POOL_STATUS};
use crate::schema::text::{push_i64, push_json_str};
use crate::schema::{self, Capture};

/// Pages read at most (100 pools each): a server whose page tokens never end cannot
/// hold the call forever.
const MAX_PAGES: usize = 50;

/// What is read of each page: each pool's id, project, class and phase, and the next
/// page's token.
static PAGE: [Capture; 5] = [
    (&WARM_POOL, 0),
    (&WARM_POOL_METADATA, 1),
    (&WARM_POOL_METADATA, 2),
    (&WARM_POOL_STATUS, 0),
    (&PAGINATION_RESPONSE, 0),
];

/// Answers a createWarmPool with the pool of its project and environment class, read
/// with getWarmPool; `conflict` is the retry's `already_exists` error. Lists and reads
/// with the call's own transport, settings and options.
pub(super) async fn find<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    options: &CallOptions,
    create: &Call,
    conflict: Error,
    capture: &'static [Capture],
) -> Result<schema::Ctx, Error> {
    let project = create.value("projectId").unwrap_or_default();
    let class = create.value("environmentClassId").unwrap_or_default();
    let pair = String::from("project ") + project + " and environment class " + class;
    let mut body = String::from("{\"filter\":{\"projectIds\":[");
    push_json_str(&mut body, project);
    body.push_str("],\"environmentClassIds\":[");
    push_json_str(&mut body, class);
    body.push_str("]}}");
    let reads = |method| Policy::new(method, false);
    let page_size = crate::schema::text::int_text(i64::from(MAX_PAGE_SIZE));
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let list = Call::prepared(Method::ListWarmPools, body.clone(), list::query(token.as_deref(), Some(&page_size)));
        let page = match attempts(transport, config, &list, options, reads(Method::ListWarmPools), &PAGE).await {
            Ok(page) => page,
            Err(e) => {
                return Err(explained(
                    conflict,
                    &(String::from("looking for it with listWarmPools failed: ") + &e.error.message()),
                ))
            }
        };
        pages += 1;
        if let Some(id) = the_pool(&page, project, class) {
            let get = Call::with_id(Method::GetWarmPool, "warmPoolId", &id);
            return match attempts(transport, config, &get, options, reads(Method::GetWarmPool), capture).await {
                Ok(answer) => Ok(answer),
                Err(e) => Err(explained(
                    conflict,
                    &(String::from("listWarmPools found warm pool ")
                        + &id
                        + " of "
                        + &pair
                        + ", but getWarmPool failed: "
                        + &e.error.message()),
                )),
            };
        }
        let next = page.values(4).map(|(_, t)| t.to_string()).next().unwrap_or_default();
        if next.is_empty() || pages >= MAX_PAGES || token.as_deref() == Some(&*next) {
            let mut read = String::from("listWarmPools (");
            push_i64(&mut read, pages as i64);
            read.push_str(if pages == 1 { " page) found no warm pool of " } else { " pages) found no warm pool of " });
            read.push_str(&pair);
            return Err(explained(conflict, &read));
        }
        token = Some(next);
    }
}

/// The id of the page's pool of this project and class. A DELETED pool is a tombstone
/// that no longer holds the pair.
fn the_pool(page: &schema::Ctx, project: &str, class: &str) -> Option<String> {
    let value = |field: usize, item: u32| page.values(field).find(|(i, _)| *i == item).map(|(_, v)| v);
    let ids: Vec<(u32, &str)> = page.values(0).collect();
    ids.into_iter().find_map(|(item, id)| {
        let same = value(1, item).is_some_and(|p| p.eq_ignore_ascii_case(project))
            && value(2, item).is_some_and(|c| c.eq_ignore_ascii_case(class))
            && value(3, item) != Some("WARM_POOL_PHASE_DELETED");
        same.then(|| id.to_string())
    })
}

/// The `already_exists` error, its message extended by what was tried.
fn explained(conflict: Error, tried: &str) -> Error {
    match conflict {
        Error::Api { status, code, message, details } => Error::Api {
            status,
            code,
            message: message
                + "; an earlier attempt of this call, whose answer was lost, may have created it, but "
                + tried,
            details,
        },
        other => other,
    }
}
