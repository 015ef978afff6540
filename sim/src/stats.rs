//! Counters for `GET /_sim/stats`: API requests, injected faults and answers, in total
//! and per method, so load tests can check what the client saw against what the
//! server did. `POST /_sim/reset` zeroes them.

use std::collections::BTreeMap;
use std::sync::Mutex;

use gitpod_prebuilds::api::Method;
use serde_json::{json, Map, Value};

/// What happened to the calls of one method (or of all of them).
#[derive(Debug, Default, Clone)]
struct Counts {
    /// Requests that named this method.
    requests: u64,
    /// Faults injected, by kind (`503`, `429`, `reset`, `delay`, `stall`...).
    faults: BTreeMap<&'static str, u64>,
    /// Of those, the committed ones (`commit=1`: the call was applied, then the fault
    /// replaced its answer), by kind.
    committed: BTreeMap<&'static str, u64>,
    /// Requests the simulated service itself answered (not cut short by a fault;
    /// `delay`, `stall` and committed faults' calls are served too).
    served: u64,
    /// Statuses sent, faults included (a reset sends none).
    statuses: BTreeMap<u16, u64>,
}

impl Counts {
    fn to_json(&self) -> Value {
        let faults: Map<String, Value> = self.faults.iter().map(|(k, v)| (k.to_string(), (*v).into())).collect();
        let committed: Map<String, Value> = self.committed.iter().map(|(k, v)| (k.to_string(), (*v).into())).collect();
        let statuses: Map<String, Value> = self.statuses.iter().map(|(k, v)| (k.to_string(), (*v).into())).collect();
        json!({
            "requests": self.requests,
            "faults": faults,
            "faultCount": self.faults.values().sum::<u64>(),
            "committed": committed,
            "committedCount": self.committed.values().sum::<u64>(),
            "served": self.served,
            "statuses": statuses,
        })
    }
}

/// The counters, shared by all connections.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<BTreeMap<&'static str, Counts>>,
}

impl Stats {
    fn with(&self, method: Method, f: impl FnOnce(&mut Counts)) {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(map.entry(method.name()).or_default());
    }

    /// A request for `method` arrived.
    pub fn request(&self, method: Method) {
        self.with(method, |c| c.requests += 1);
    }

    /// A fault of this kind was injected into a call of `method`; `committed` if the
    /// call was applied before it (`commit=1`).
    pub fn fault(&self, method: Method, kind: &'static str, committed: bool) {
        self.with(method, |c| {
            *c.faults.entry(kind).or_insert(0) += 1;
            if committed {
                *c.committed.entry(kind).or_insert(0) += 1;
            }
        });
    }

    /// The service answered a call of `method` itself.
    pub fn served(&self, method: Method) {
        self.with(method, |c| c.served += 1);
    }

    /// A response with `status` went out for a call of `method`.
    pub fn status(&self, method: Method, status: u16) {
        self.with(method, |c| *c.statuses.entry(status).or_insert(0) += 1);
    }

    /// Zeroes every counter.
    pub fn clear(&self) {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The counters as JSON: the totals, and `methods` with the same per method.
    pub fn to_json(&self) -> Value {
        let map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let mut total = Counts::default();
        for c in map.values() {
            total.requests += c.requests;
            total.served += c.served;
            for (k, v) in &c.faults {
                *total.faults.entry(k).or_insert(0) += v;
            }
            for (k, v) in &c.committed {
                *total.committed.entry(k).or_insert(0) += v;
            }
            for (k, v) in &c.statuses {
                *total.statuses.entry(*k).or_insert(0) += v;
            }
        }
        let methods: Map<String, Value> = map.iter().map(|(k, c)| (k.to_string(), c.to_json())).collect();
        let mut out = total.to_json();
        if let Some(o) = out.as_object_mut() {
            o.insert("methods".into(), Value::Object(methods));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up_the_methods() {
        let s = Stats::default();
        s.request(Method::GetPrebuild);
        s.fault(Method::GetPrebuild, "503", false);
        s.status(Method::GetPrebuild, 503);
        s.request(Method::GetPrebuild);
        s.served(Method::GetPrebuild);
        s.status(Method::GetPrebuild, 200);
        s.request(Method::ListWarmPools);
        s.fault(Method::ListWarmPools, "reset", true);
        let v = s.to_json();
        assert_eq!(v["requests"], 3);
        assert_eq!(v["faultCount"], 2);
        assert_eq!(v["faults"]["503"], 1);
        assert_eq!(v["faults"]["reset"], 1);
        assert_eq!(v["committed"], json!({ "reset": 1 }));
        assert_eq!(v["committedCount"], 1);
        assert_eq!(v["methods"]["GetPrebuild"]["committed"], json!({}));
        assert_eq!(v["served"], 1);
        assert_eq!(v["statuses"]["200"], 1);
        assert_eq!(v["methods"]["GetPrebuild"]["requests"], 2);
        assert_eq!(v["methods"]["ListWarmPools"]["faults"]["reset"], 1);
        s.clear();
        assert_eq!(s.to_json()["requests"], 0);
    }
}
