//! createWarmPool after a lost answer. A project and environment class have at most
//! one warm pool, so when an attempt whose outcome is unknown (a timeout, a dropped
//! connection, a gateway error) is followed by a retry that gets `already_exists`, the
//! pool is most likely the one the lost attempt created. The call then finds it
//! (listWarmPools filtered by the project and class, page by page), reads it back with
//! getWarmPool and answers with that, as the lost answer would have. When that finds
//! nothing or fails, the call ends with the `already_exists` error, saying what was
//! tried.

use super::{attempts, CallOptions, ClientConfig, Transport};
use crate::api::{
    CreateWarmPoolRequest, ListWarmPoolsRequest, ListWarmPoolsResponse, Method, Request, WarmPoolFilter,
    WarmPoolIdRequest, MAX_PAGE_SIZE,
};
use crate::error::Error;
use crate::model::{WarmPool, WarmPoolPhase};
use crate::retry::policy::Policy;
use crate::wire;

/// Pages read at most (100 pools each): a server whose page tokens never end cannot
/// hold the call forever.
const MAX_PAGES: usize = 50;

/// Answers a createWarmPool with the pool of its project and environment class, read
/// with getWarmPool; `conflict` is the retry's `already_exists` error. Lists and reads
/// with the call's own transport, settings and options.
pub(super) async fn find<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    options: &CallOptions,
    create: &CreateWarmPoolRequest,
    conflict: Error,
) -> Result<String, Error> {
    let pair = format!("project {} and environment class {}", create.project_id, create.environment_class_id);
    let reads = |method| Policy::new(method, false);
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let list = Request::ListWarmPools(ListWarmPoolsRequest {
            token: token.clone(),
            page_size: Some(MAX_PAGE_SIZE),
            filter: Some(WarmPoolFilter {
                project_ids: vec![create.project_id.clone()],
                environment_class_ids: vec![create.environment_class_id.clone()],
            }),
            pagination: None,
        });
        let text = match attempts(transport, config, &list, options, reads(Method::ListWarmPools)).await {
            Ok(text) => text,
            Err(e) => {
                return Err(explained(conflict, &format!("looking for it with listWarmPools failed: {}", e.error)))
            }
        };
        pages += 1;
        let page: ListWarmPoolsResponse<'_> = match wire::from_str(&text) {
            Ok(page) => page,
            Err(e) => {
                return Err(explained(
                    conflict,
                    &format!("listWarmPools answered a page that could not be read: {}", e.message),
                ))
            }
        };
        if let Some(pool) = page.warm_pools.iter().find(|pool| is_the_pool(pool, create)) {
            let get = Request::GetWarmPool(WarmPoolIdRequest { warm_pool_id: pool.id.to_string() });
            return match attempts(transport, config, &get, options, reads(Method::GetWarmPool)).await {
                Ok(text) => Ok(text),
                Err(e) => Err(explained(
                    conflict,
                    &format!(
                        "listWarmPools found warm pool {} of {pair}, but getWarmPool failed: {}",
                        pool.id, e.error
                    ),
                )),
            };
        }
        let next = page.pagination.next_token;
        if next.is_empty() || pages >= MAX_PAGES || token.as_deref() == Some(&*next) {
            let read = if pages == 1 { "1 page".to_string() } else { format!("{pages} pages") };
            return Err(explained(conflict, &format!("listWarmPools ({read}) found no warm pool of {pair}")));
        }
        token = Some(next.into_owned());
    }
}

/// Whether `pool` is the one of the request's project and class. A DELETED pool is a
/// tombstone that no longer holds the pair.
fn is_the_pool(pool: &WarmPool<'_>, create: &CreateWarmPoolRequest) -> bool {
    pool.metadata.project_id.eq_ignore_ascii_case(&create.project_id)
        && pool.metadata.environment_class_id.eq_ignore_ascii_case(&create.environment_class_id)
        && pool.status.phase != WarmPoolPhase::Deleted
}

/// The `already_exists` error, its message extended by what was tried.
fn explained(conflict: Error, tried: &str) -> Error {
    match conflict {
        Error::Api { status, code, message, details } => Error::Api {
            status,
            code,
            message: format!(
                "{message}; an earlier attempt of this call, whose answer was lost, may have created it, but {tried}"
            ),
            details,
        },
        other => other,
    }
}
