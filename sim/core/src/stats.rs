//! Counters for `GET /_sim/stats`: API requests, injected faults and answers, in total
//! and per method, and the same for log requests (`logs`, not in the totals) with the
//! streams cut and completed, so tests can check what a client saw against what the
//! server did. `POST /_sim/reset` zeroes them. The gauge of open log streams is the
//! simulator's count of streams not yet closed, handed in when the JSON is written.

use std::collections::BTreeMap;

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

/// What happened to log requests.
#[derive(Debug, Default, Clone)]
struct LogCounts {
    /// Requests and their faults, `served` being the streams started (200).
    counts: Counts,
    /// Streams dropped by a `cut` fault.
    cuts: u64,
    /// Streams that ended cleanly, their prebuild finished and every line written.
    completed: u64,
}

/// The counters.
#[derive(Debug, Default)]
pub struct Stats {
    inner: BTreeMap<&'static str, Counts>,
    logs: LogCounts,
}

impl Stats {
    fn with(&mut self, method: Method, f: impl FnOnce(&mut Counts)) {
        f(self.inner.entry(method.name()).or_default());
    }

    /// A request for `method` arrived.
    pub fn request(&mut self, method: Method) {
        self.with(method, |c| c.requests += 1);
    }

    /// A fault of this kind was injected into a call of `method`; `committed` if the
    /// call was applied before it (`commit=1`).
    pub fn fault(&mut self, method: Method, kind: &'static str, committed: bool) {
        self.with(method, |c| {
            *c.faults.entry(kind).or_insert(0) += 1;
            if committed {
                *c.committed.entry(kind).or_insert(0) += 1;
            }
        });
    }

    /// The service answered a call of `method` itself.
    pub fn served(&mut self, method: Method) {
        self.with(method, |c| c.served += 1);
    }

    /// A response with `status` went out for a call of `method`.
    pub fn status(&mut self, method: Method, status: u16) {
        self.with(method, |c| *c.statuses.entry(status).or_insert(0) += 1);
    }

    fn with_logs(&mut self, f: impl FnOnce(&mut LogCounts)) {
        f(&mut self.logs);
    }

    /// A log request arrived.
    pub fn log_request(&mut self) {
        self.with_logs(|l| l.counts.requests += 1);
    }

    /// A fault of this kind was injected into a log request.
    pub fn log_fault(&mut self, kind: &'static str) {
        self.with_logs(|l| *l.counts.faults.entry(kind).or_insert(0) += 1);
    }

    /// A log stream started.
    pub fn log_served(&mut self) {
        self.with_logs(|l| l.counts.served += 1);
    }

    /// A response with `status` went out for a log request.
    pub fn log_status(&mut self, status: u16) {
        self.with_logs(|l| *l.counts.statuses.entry(status).or_insert(0) += 1);
    }

    /// A log stream was dropped by a `cut` fault.
    pub fn log_cut(&mut self) {
        self.with_logs(|l| l.cuts += 1);
    }

    /// A log stream ended cleanly.
    pub fn log_completed(&mut self) {
        self.with_logs(|l| l.completed += 1);
    }

    /// Zeroes every counter.
    pub fn clear(&mut self) {
        self.inner.clear();
        self.logs = LogCounts::default();
    }

    /// The counters as JSON: the totals, and `methods` with the same per method;
    /// `open_streams` is the gauge of log streams open now (a client that stops
    /// following a log should bring it back down; a reset does not zero it).
    pub fn to_json(&self, open_streams: usize) -> Value {
        let map = &self.inner;
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
        let logs = &self.logs;
        let mut logs_json = logs.counts.to_json();
        if let Some(o) = logs_json.as_object_mut() {
            // Log requests change nothing, so nothing is ever committed.
            o.remove("committed");
            o.remove("committedCount");
            o.insert("cuts".into(), logs.cuts.into());
            o.insert("completed".into(), logs.completed.into());
            o.insert("open".into(), open_streams.into());
        }
        let mut out = total.to_json();
        if let Some(o) = out.as_object_mut() {
            o.insert("methods".into(), Value::Object(methods));
            o.insert("logs".into(), logs_json);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up_the_methods() {
        let mut s = Stats::default();
        s.request(Method::GetPrebuild);
        s.fault(Method::GetPrebuild, "503", false);
        s.status(Method::GetPrebuild, 503);
        s.request(Method::GetPrebuild);
        s.served(Method::GetPrebuild);
        s.status(Method::GetPrebuild, 200);
        s.request(Method::ListWarmPools);
        s.fault(Method::ListWarmPools, "reset", true);
        let v = s.to_json(0);
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
        assert_eq!(s.to_json(0)["requests"], 0);
    }

    #[test]
    fn log_requests_are_counted_apart_from_api_calls() {
        let mut s = Stats::default();
        s.request(Method::GetPrebuild);
        s.log_request();
        s.log_fault("cut");
        s.log_served();
        s.log_status(200);
        s.log_cut();
        s.log_request();
        s.log_fault("503");
        s.log_status(503);
        s.log_request();
        s.log_served();
        s.log_status(200);
        s.log_completed();
        let v = s.to_json(1);
        assert_eq!(v["requests"], 1, "the totals are API calls");
        assert_eq!(v["faultCount"], 0);
        assert_eq!(
            v["logs"],
            json!({
                "requests": 3, "faults": { "cut": 1, "503": 1 }, "faultCount": 2, "served": 2,
                "statuses": { "200": 2, "503": 1 }, "cuts": 1, "completed": 1, "open": 1
            })
        );
        s.clear();
        assert_eq!(s.to_json(1)["logs"]["requests"], 0);
    }
}
