// Hostile and surprising responses against the wasm build, from a real HTTP server
// (node:http, raw bytes on the wire; fetch is not mocked). Each case ends in an exact
// outcome: a tolerant decode with the values protobuf JSON implies, or a typed error
// (ResponseDecodeError, or an APIError subclass with its status and code). After each
// case the same client makes a normal call, which must succeed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import * as pkg from "../../pkg/node.mjs";

const TOKEN = "hostile-test-token-7c1e";
const ID = "07e03a28-65a5-4d98-b532-8ea67b188048";
const ORG = "75421955-4bb8-43ad-a3e8-6e9605077b0b";
const PROJECT = "062884da-8bed-474f-bb2f-4b7a3d5c9e10";
const CLASS = "2dccff9b-2310-4773-94ba-992469bc4b82";
const USER = "b0e12f6c-4c67-429d-a4a6-d9838b5da047";
const ENV = "8f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e";

/** A prebuild with every field set: its decode must give exactly this back. */
const fullPrebuild = (id = ID) => ({
  id,
  metadata: {
    organizationId: ORG,
    projectId: PROJECT,
    environmentClassId: CLASS,
    creator: { id: USER, principal: "PRINCIPAL_USER" },
    createdAt: "2026-01-02T03:04:05.678Z",
    updatedAt: "2026-01-02T03:34:05.678Z",
    triggeredBy: "PREBUILD_TRIGGER_MANUAL",
    executor: { id: USER, principal: "PRINCIPAL_USER" },
  },
  spec: { specVersion: "3", desiredPhase: "PREBUILD_PHASE_COMPLETED", timeout: "3600s" },
  status: {
    phase: "PREBUILD_PHASE_COMPLETED",
    completionTime: "2026-01-02T03:34:05.678Z",
    failureMessage: "",
    logUrl: "https://logs.example/prebuilds/1",
    environmentId: ENV,
    statusVersion: "12",
    warningMessage: "",
    snapshotCompletionPercentage: 100,
    snapshotSizeBytes: "123456789",
  },
});

/** What protobuf JSON makes of an absent (or null) prebuild: every field at its default. */
const DEFAULT_PREBUILD = {
  id: "",
  metadata: {
    organizationId: "",
    projectId: "",
    environmentClassId: "",
    creator: { id: "", principal: "PRINCIPAL_UNSPECIFIED" },
    triggeredBy: "PREBUILD_TRIGGER_UNSPECIFIED",
    executor: { id: "", principal: "PRINCIPAL_UNSPECIFIED" },
  },
  spec: { specVersion: "0", desiredPhase: "PREBUILD_PHASE_UNSPECIFIED" },
  status: {
    phase: "PREBUILD_PHASE_UNSPECIFIED",
    failureMessage: "",
    logUrl: "",
    environmentId: "",
    statusVersion: "0",
    warningMessage: "",
    snapshotCompletionPercentage: 0,
    snapshotSizeBytes: "0",
  },
};

const withStatus = (fields) => {
  const p = fullPrebuild();
  Object.assign(p.status, fields);
  return { prebuild: p };
};

const NGINX = (code, text) =>
  `<html>\r\n<head><title>${code} ${text}</title></head>\r\n<body>\r\n<center><h1>${code} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

let server, other, port, otherPort, client;
const seen = { otherAuthorization: undefined };
/** name -> (req, res, requestBody) => void */
const handlers = new Map();

function send(res, status, body, headers = { "content-type": "application/json" }) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  res.writeHead(status, { "content-length": bytes.length, ...headers });
  res.end(bytes);
}

/** The normal answer of a method: what a healthy server would send. */
function normal(method, params, res) {
  switch (method) {
    case "GetPrebuild":
      return send(res, 200, { prebuild: fullPrebuild(params.prebuildId) });
    case "DeletePrebuild":
      return send(res, 200, {});
    default:
      return send(res, 200, { prebuilds: [fullPrebuild()], pagination: { nextToken: "" } });
  }
}

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let params = {};
      try {
        params = JSON.parse(text || "{}");
      } catch {}
      const handler = handlers.get(req.headers["x-case"]);
      if (handler) return handler(req, res, params);
      normal(req.url.split("?")[0].split("/").pop(), params, res);
    });
  });
  other = http.createServer((req, res) => {
    seen.otherAuthorization = req.headers.authorization ?? null;
    req.resume();
    req.on("end", () => send(res, 200, { prebuild: fullPrebuild() }));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  await new Promise((r) => other.listen(0, "127.0.0.1", r));
  port = server.address().port;
  otherPort = other.address().port;
  // One client for every case: it must keep working whatever came before.
  client = new pkg.PrebuildClient({ baseUrl: `http://127.0.0.1:${port}/api`, token: TOKEN, maxRetries: 0, timeoutMs: 10_000 });
});
after(async () => {
  server?.closeAllConnections?.();
  other?.closeAllConnections?.();
  await new Promise((r) => (server ? server.close(r) : r()));
  await new Promise((r) => (other ? other.close(r) : r()));
});

// ------------------------------------------------------------------------------------
// The corpus. `respond` is a raw handler, or { status, body, headers }. `expect` is
// either a function of the decoded result, or { error: Class, status, code, message }.

const cases = [];
const add = (name, spec) => cases.push({ name, method: "getPrebuild", params: { prebuildId: ID }, ...spec });
const decodeError = (message) => ({ error: pkg.ResponseDecodeError, message });

add("truncated JSON (half of a valid body, 200)", {
  respond: { status: 200, body: JSON.stringify({ prebuild: fullPrebuild() }).slice(0, 300) },
  expect: decodeError(/^unexpected response: the body is not valid JSON/),
});
add("truncated inside a string", {
  respond: { status: 200, body: '{"prebuild":{"id":"07e03a28-65a5' },
  expect: decodeError(/not valid JSON \(the text ends early at line 1 column 32\)/),
});
add("empty body with 200", {
  respond: { status: 200, body: "" },
  expect: decodeError(/not valid JSON \(the text ends early at line 1 column 0\)/),
});
add("empty body with 200 for a method whose message is empty (DeletePrebuild)", {
  method: "deletePrebuild",
  respond: { status: 200, body: "" },
  expect: decodeError(/not valid JSON/),
});
add("only whitespace with 200", {
  respond: { status: 200, body: " \r\n\t " },
  expect: decodeError(/not valid JSON/),
});
add("204 No Content for DeletePrebuild", {
  method: "deletePrebuild",
  respond: (req, res) => {
    res.writeHead(204);
    res.end();
  },
  expect: decodeError(/not valid JSON/),
});
add("HTML 502 from a proxy", {
  respond: { status: 502, body: NGINX(502, "Bad Gateway"), headers: { "content-type": "text/html" } },
  expect: { error: pkg.InternalServerError, status: 502, code: "unavailable", message: /^HTTP 502 with a body that is not a Connect error$/ },
});
add("HTML 504 from a proxy", {
  respond: { status: 504, body: NGINX(504, "Gateway Time-out"), headers: { "content-type": "text/html" } },
  expect: { error: pkg.InternalServerError, status: 504, code: "unavailable", message: /^HTTP 504 with a body/ },
});
add("HTML 401 from a login wall", {
  respond: { status: 401, body: "<html><body>Please sign in</body></html>", headers: { "content-type": "text/html" } },
  expect: { error: pkg.AuthenticationError, status: 401, code: "unauthenticated", message: /^HTTP 401 with a body/ },
});
add("HTML with 200 (a captive portal)", {
  respond: { status: 200, body: "<!doctype html><html><body>Welcome to the hotel wifi</body></html>", headers: { "content-type": "text/html" } },
  expect: decodeError(/not valid JSON \(unexpected text at line 1 column 1\)/),
});
add("plain-text 500", {
  respond: { status: 500, body: "Internal Server Error", headers: { "content-type": "text/plain" } },
  expect: { error: pkg.InternalServerError, status: 500, code: "unknown", message: /^HTTP 500 with a body that is not a Connect error$/ },
});
add("wrong content type (text/plain) on a valid JSON body", {
  respond: { status: 200, body: { prebuild: fullPrebuild() }, headers: { "content-type": "text/plain; charset=utf-8" } },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("no content type at all on a valid JSON body", {
  respond: { status: 200, body: { prebuild: fullPrebuild() }, headers: {} },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("null as the whole body", {
  respond: { status: 200, body: "null" },
  expect: decodeError(/\(root\) must be an object, got null/),
});
add("an array as the whole body", {
  respond: { status: 200, body: "[]" },
  expect: decodeError(/\(root\) must be an object, got an array/),
});
add("{prebuild: null}: unset, so every field takes its default", {
  respond: { status: 200, body: '{"prebuild":null}' },
  expect: (r) => assert.deepEqual(r, { prebuild: DEFAULT_PREBUILD }),
});
add("missing required fields ({} for GetPrebuild)", {
  respond: { status: 200, body: "{}" },
  expect: (r) => assert.deepEqual(r, { prebuild: DEFAULT_PREBUILD }),
});
add("a prebuild with only an id", {
  respond: { status: 200, body: { prebuild: { id: ID } } },
  expect: (r) => assert.deepEqual(r, { prebuild: { ...DEFAULT_PREBUILD, id: ID } }),
});
add("wrong type: a string for an object", {
  respond: { status: 200, body: '{"prebuild":"07e03a28-65a5-4d98-b532-8ea67b188048"}' },
  expect: decodeError(/prebuild must be an object, got "07e03a28/),
});
add("wrong type: a number for a string", {
  respond: { status: 200, body: '{"prebuild":{"id":42}}' },
  expect: decodeError(/prebuild\.id must be a string, got 42/),
});
add("wrong type: an object for a list", {
  method: "listPrebuilds",
  params: {},
  respond: { status: 200, body: '{"prebuilds":{"0":{}}}' },
  expect: decodeError(/prebuilds must be a list, got an object/),
});
add("wrong type: a boolean for a 64-bit integer", {
  respond: { status: 200, body: withStatus({ statusVersion: true }) },
  expect: decodeError(/prebuild\.status\.statusVersion must be a 64-bit integer \(string or number\), got true/),
});
add("64-bit integers above 2^53 as numbers keep every digit", {
  respond: {
    status: 200,
    body: JSON.stringify(withStatus({ statusVersion: "@1", snapshotSizeBytes: "@2" }))
      .replace('"@1"', "9007199254740993")
      .replace('"@2"', "18446744073709551615"),
  },
  expect: (r) => {
    assert.equal(r.prebuild.status.statusVersion, "9007199254740993");
    assert.equal(r.prebuild.status.snapshotSizeBytes, "18446744073709551615");
  },
});
add("64-bit integers above 2^53 as strings keep every digit", {
  respond: { status: 200, body: withStatus({ statusVersion: "9007199254740993", snapshotSizeBytes: "-9223372036854775808" }) },
  expect: (r) => {
    assert.equal(r.prebuild.status.statusVersion, "9007199254740993");
    assert.equal(r.prebuild.status.snapshotSizeBytes, "-9223372036854775808");
  },
});
add("a 64-bit integer in exponent form", {
  respond: { status: 200, body: JSON.stringify(withStatus({ statusVersion: "@" })).replace('"@"', "1.5e3") },
  expect: (r) => assert.equal(r.prebuild.status.statusVersion, "1500"),
});
add("a number beyond 64 bits in a 64-bit field", {
  respond: { status: 200, body: JSON.stringify(withStatus({ snapshotSizeBytes: "@" })).replace('"@"', "18446744073709551616") },
  expect: decodeError(/prebuild\.status\.snapshotSizeBytes must be a 64-bit integer, got 18446744073709551616/),
});
add("a 32-bit field above 2^31", {
  respond: { status: 200, body: withStatus({ snapshotCompletionPercentage: 4294967296 }) },
  expect: decodeError(/prebuild\.status\.snapshotCompletionPercentage must be a 32-bit integer, got 4294967296/),
});
add("a fraction in a 32-bit field", {
  respond: { status: 200, body: withStatus({ snapshotCompletionPercentage: 50.5 }) },
  expect: decodeError(/snapshotCompletionPercentage must be a 32-bit integer, got 50\.5/),
});
add("a 32-bit field as a numeric string and in exponent form", {
  respond: { status: 200, body: JSON.stringify(withStatus({ snapshotCompletionPercentage: "@" })).replace('"@"', "5e1") },
  expect: (r) => assert.equal(r.prebuild.status.snapshotCompletionPercentage, 50),
});
add("unknown enum names are kept as sent", {
  respond: {
    status: 200,
    body: (() => {
      const p = fullPrebuild();
      p.status.phase = "PREBUILD_PHASE_HIBERNATING";
      p.metadata.creator.principal = "PRINCIPAL_ALIEN";
      p.metadata.triggeredBy = "PREBUILD_TRIGGER_WEBHOOK";
      return { prebuild: p };
    })(),
  },
  expect: (r) => {
    assert.equal(r.prebuild.status.phase, "PREBUILD_PHASE_HIBERNATING");
    assert.equal(r.prebuild.metadata.creator.principal, "PRINCIPAL_ALIEN");
    assert.equal(r.prebuild.metadata.triggeredBy, "PREBUILD_TRIGGER_WEBHOOK");
  },
});
add("enums as numbers, known and unknown", {
  respond: { status: 200, body: JSON.stringify(withStatus({ phase: "@" })).replace('"@"', "70").replace('"PREBUILD_TRIGGER_MANUAL"', "999") },
  expect: (r) => {
    assert.equal(r.prebuild.status.phase, "PREBUILD_PHASE_FAILED");
    assert.equal(r.prebuild.metadata.triggeredBy, "999");
  },
});
add("unknown fields at every level are ignored", {
  respond: {
    status: 200,
    body: (() => {
      const p = fullPrebuild();
      p.newField = { deep: [1, 2, 3] };
      p.metadata.labels = { team: "x" };
      p.status.eta = "soon";
      p.spec.gpu = true;
      return { prebuild: p, serverVersion: "9.9", debug: null };
    })(),
  },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("snake_case field names (the proto names)", {
  respond: {
    status: 200,
    body: JSON.stringify({ prebuild: fullPrebuild() }).replace(/"([a-z]+)([A-Z][a-zA-Z]*)":/g, (_, a, b) => `"${a}${b.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())}":`),
  },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("a repeated key: the last one counts", {
  respond: { status: 200, body: `{"prebuild":{"id":"first","id":"${ID}"}}` },
  expect: (r) => assert.equal(r.prebuild.id, ID),
});
add("a __proto__ key pollutes nothing", {
  respond: { status: 200, body: `{"prebuild":{"__proto__":{"polluted":true},"id":"${ID}"},"__proto__":{"polluted":true}}` },
  expect: (r) => {
    assert.equal(r.prebuild.id, ID);
    assert.equal({}.polluted, undefined);
    assert.equal(r.polluted, undefined);
    assert.equal(r.prebuild.polluted, undefined);
  },
});
add("deeply nested junk (100,000 levels) in an unknown field is skipped, without recursion", {
  respond: { status: 200, body: `{"junk":${"[".repeat(100_000)}${"]".repeat(100_000)},"prebuild":${JSON.stringify(fullPrebuild())}}` },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("deeply nested junk (100,000 levels) where a message belongs", {
  respond: { status: 200, body: `{"prebuild":{"status":${"[".repeat(100_000)}${"]".repeat(100_000)}}}` },
  expect: decodeError(/prebuild\.status must be an object, got an array/),
});
add("nested junk within the limit (100 levels) in an unknown field", {
  respond: { status: 200, body: `{"junk":${"[{\"a\":".repeat(50)}0${"}]".repeat(50)},"prebuild":${JSON.stringify(fullPrebuild())}}` },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("a 10,000-digit number in an unknown field", {
  respond: { status: 200, body: `{"big":${"9".repeat(10_000)},"prebuild":${JSON.stringify(fullPrebuild())}}` },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("a 10 MB body (a 10 MB failure message)", {
  respond: { status: 200, body: withStatus({ failureMessage: "x".repeat(10 * 1024 * 1024) }) },
  expect: (r) => {
    assert.equal(r.prebuild.status.failureMessage.length, 10 * 1024 * 1024);
    assert.equal(r.prebuild.id, ID);
  },
});
add("a 10 MB body that is not JSON", {
  respond: { status: 200, body: Buffer.alloc(10 * 1024 * 1024, "<") },
  expect: decodeError(/not valid JSON \(unexpected text at line 1 column 1\)/),
});
add("a 10 MB error body", {
  respond: { status: 503, body: { code: "unavailable", message: "m".repeat(10 * 1024 * 1024) } },
  expect: { error: pkg.InternalServerError, status: 503, code: "unavailable", message: /^m+$/ },
});
add("invalid UTF-8 inside a string becomes U+FFFD", {
  respond: {
    status: 200,
    body: Buffer.concat([Buffer.from('{"prebuild":{"id":"ab'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('cd"}}')]),
  },
  expect: (r) => assert.equal(r.prebuild.id, "ab\uFFFD\uFFFD\uFFFDcd"),
});
add("invalid UTF-8 where a token belongs", {
  respond: { status: 200, body: Buffer.concat([Buffer.from('{"prebuild":'), Buffer.from([0xff]), Buffer.from("}")]) },
  expect: decodeError(/not valid JSON \(unexpected text at line 1 column 13\)/),
});
add("a UTF-8 byte-order mark before the JSON", {
  respond: { status: 200, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ prebuild: fullPrebuild() }))]) },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("a lone surrogate escape and an escaped NUL", {
  respond: { status: 200, body: '{"prebuild":{"id":"a\\ud800b","status":{"failureMessage":"x\\u0000y"}}}' },
  expect: (r) => {
    assert.equal(r.prebuild.id, "a\uFFFDb");
    assert.equal(r.prebuild.status.failureMessage, "x\u0000y");
  },
});
add("text after the JSON value", {
  respond: { status: 200, body: '{"prebuild":{}} trailing' },
  expect: decodeError(/not valid JSON \(unexpected text at line 1 column 1[67]\)/),
});
add("two JSON documents back to back", {
  respond: { status: 200, body: '{"prebuild":{}}{"prebuild":{}}' },
  expect: decodeError(/not valid JSON \(unexpected text at line 1 column 1[67]\)/),
});
add("a list with a null item", {
  method: "listPrebuilds",
  params: {},
  respond: { status: 200, body: `{"prebuilds":[${JSON.stringify(fullPrebuild())},null]}` },
  expect: decodeError(/prebuilds\[1\] must be an object, got null/),
});
add("a list response with null list and null pagination", {
  method: "listPrebuilds",
  params: {},
  respond: { status: 200, body: '{"prebuilds":null,"pagination":null}' },
  expect: (r) => assert.deepEqual(r, { prebuilds: [], pagination: { nextToken: "" } }),
});
add("an error body without a code (503)", {
  respond: { status: 503, body: { message: "down for maintenance" } },
  expect: { error: pkg.InternalServerError, status: 503, code: "unavailable", message: /^down for maintenance$/ },
});
add("an error body without a code (404 means unimplemented in Connect)", {
  respond: { status: 404, body: { message: "no route" } },
  expect: { error: pkg.NotFoundError, status: 404, code: "unimplemented", message: /^no route$/ },
});
add("an error body whose code is null", {
  respond: { status: 429, body: { code: null, message: "slow down" } },
  expect: { error: pkg.RateLimitError, status: 429, code: "unavailable", message: /^slow down$/ },
});
add("an error body with an unknown code and status", {
  respond: { status: 418, body: { code: "teapot", message: "short and stout" } },
  expect: { error: pkg.APIError, exactClass: true, status: 418, code: "teapot", message: /^short and stout$/ },
});
add("an error body with an unknown code on a known status", {
  respond: { status: 400, body: { code: "brand_new_code" } },
  expect: { error: pkg.BadRequestError, status: 400, code: "brand_new_code", message: /^HTTP 400$/ },
});
add("an error body with details", {
  respond: { status: 409, body: { code: "aborted", message: "conflict", details: [{ type: "google.rpc.RetryInfo", value: "CgIIAQ==" }] } },
  expect: {
    error: pkg.ConflictError,
    status: 409,
    code: "aborted",
    message: /^conflict$/,
    details: [{ type: "google.rpc.RetryInfo", value: "CgIIAQ==" }],
  },
});
add("an error body whose details are not a list", {
  respond: { status: 403, body: { code: "permission_denied", message: "no", details: "oops" } },
  expect: { error: pkg.PermissionDeniedError, status: 403, code: "permission_denied", message: /^no$/, details: [] },
});
add("a 200 with an error-shaped body", {
  respond: { status: 200, body: { code: "not_found", message: "gone" } },
  expect: decodeError(/a success status with a Connect error body \(not_found: gone\)/),
});
add("a 200 with an error-shaped body for DeletePrebuild", {
  method: "deletePrebuild",
  respond: { status: 200, body: { code: "internal", message: "upstream failed" } },
  expect: decodeError(/Connect error body/),
});
add("a body cut short of its content-length, then the connection closed", {
  respond: (req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 5000 });
    res.write('{"prebuild":{"id":"');
    setTimeout(() => res.socket.destroy(), 20);
  },
  expect: { error: pkg.APIConnectionError, exactClass: true },
});
add("the connection closed before any response", {
  respond: (req, res) => req.socket.destroy(),
  expect: { error: pkg.APIConnectionError, exactClass: true },
});
add("a body claiming gzip that is not", {
  respond: { status: 200, body: "definitely not gzip", headers: { "content-type": "application/json", "content-encoding": "gzip" } },
  expect: { error: pkg.APIConnectionError, exactClass: true },
});
add("a body that stalls after the headers", {
  options: { timeoutMs: 300 },
  respond: (req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 5000 });
    res.write('{"prebuild":');
  },
  expect: { error: pkg.APIConnectionTimeoutError, message: /^request timed out after 300 ms$/ },
});
add("headers that never come", {
  options: { timeoutMs: 300 },
  respond: () => {},
  expect: { error: pkg.APIConnectionTimeoutError },
});
add("a same-origin 307 redirect is followed, body and all", {
  respond: (req, res, params) => {
    if (req.url.endsWith("?moved=1")) return normal("GetPrebuild", params, res);
    res.writeHead(307, { location: `/api/gitpod.v1.PrebuildService/GetPrebuild?moved=1` });
    res.end();
  },
  expect: (r) => assert.deepEqual(r, { prebuild: fullPrebuild() }),
});
add("a cross-origin 307 redirect does not carry the token along", {
  respond: (req, res) => {
    res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/elsewhere` });
    res.end();
  },
  expect: (r) => {
    assert.deepEqual(r, { prebuild: fullPrebuild() });
    assert.equal(seen.otherAuthorization, null, "no Authorization header at the other origin");
  },
});

// Generated: `null` in every position, and a wrong type in every position, of a full
// prebuild and of a list page.

const listPage = () => ({ prebuilds: [fullPrebuild(), fullPrebuild(ID.replace("07e0", "17e0"))], pagination: { nextToken: "abc" } });

/** Every path in a document: [path segments, library path text, value]. */
function paths(value, segs = [], out = []) {
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const s = [...segs, Array.isArray(value) ? Number(k) : k];
      out.push([s, s.reduce((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), ""), v]);
      paths(v, s, out);
    }
  }
  return out;
}
const setAt = (doc, segs, v) => {
  const copy = structuredClone(doc);
  let o = copy;
  for (const s of segs.slice(0, -1)) o = o[s];
  if (v === undefined) delete o[segs.at(-1)];
  else o[segs.at(-1)] = v;
  return copy;
};

const generated = [];
for (const [method, doc] of [["getPrebuild", { prebuild: fullPrebuild() }], ["listPrebuilds", listPage()]]) {
  const params = method === "getPrebuild" ? { prebuildId: ID } : {};
  for (const [segs, path, v] of paths(doc)) {
    const inArray = typeof segs.at(-1) === "number";
    generated.push({
      name: `null at ${path} (${method})`,
      method,
      params,
      respond: { status: 200, body: setAt(doc, segs, null) },
      // Protobuf JSON: null is the field unset, so it decodes as the field left out.
      // A null list item has no such meaning: an error naming it.
      expect: inArray ? decodeError(new RegExp(`${path.replace(/[[\].]/g, "\\$&")} must be an object, got null`)) : { sameAs: setAt(doc, segs, undefined) },
    });
    const wrong = v !== null && typeof v === "object" ? "text" : {};
    generated.push({
      name: `wrong type at ${path} (${method})`,
      method,
      params,
      respond: { status: 200, body: setAt(doc, segs, wrong) },
      expect: decodeError(new RegExp(`: ${path.replace(/[[\].]/g, "\\$&")} must be `)),
    });
  }
}

// ------------------------------------------------------------------------------------

let served = 0;
async function runCase(c, key) {
  const name = `case-${key}`;
  handlers.set(name, typeof c.respond === "function" ? c.respond : (req, res) => send(res, c.respond.status, c.respond.body, c.respond.headers));
  const options = { ...c.options, headers: { "x-case": name } };
  const outcome = await client[c.method](c.params, options).then((value) => ({ value }), (error) => ({ error }));
  try {
    if (typeof c.expect === "function") {
      assert.ok(!outcome.error, `expected a decode, got ${outcome.error?.name}: ${outcome.error?.message}`);
      c.expect(outcome.value);
    } else if (c.expect.sameAs) {
      assert.ok(!outcome.error, `expected a decode, got ${outcome.error?.name}: ${outcome.error?.message}`);
      const reference = await client[c.method](c.params, { headers: { "x-case": `${name}-ref` } }).catch((e) => e);
      assert.deepEqual(outcome.value, reference, "null decodes as the field left out");
      assert.ok(!JSON.stringify(outcome.value).includes("null"), "no null reaches the caller");
    } else {
      const e = outcome.error;
      assert.ok(e, `expected ${c.expect.error.prototype.name}, got a value: ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
      assert.ok(e instanceof c.expect.error, `expected ${c.expect.error.prototype.name}, got ${e.name}: ${e.message}`);
      assert.ok(e instanceof pkg.PrebuildClientError && e instanceof Error);
      if (c.expect.exactClass) assert.equal(Object.getPrototypeOf(e), c.expect.error.prototype, `exactly ${c.expect.error.prototype.name}`);
      if ("status" in c.expect) assert.equal(e.status, c.expect.status);
      if ("code" in c.expect) assert.equal(e.code, c.expect.code);
      if (c.expect.message) assert.match(e.message, c.expect.message);
      if (c.expect.details) assert.deepEqual(e.details, c.expect.details);
      assert.ok(!e.message.includes("<"), "no HTML in the message");
      assert.ok(e.message.length < 11 * 1024 * 1024);
    }
  } finally {
    handlers.delete(name);
  }
  // The same client keeps working.
  const next = await client.getPrebuild({ prebuildId: ID });
  assert.deepEqual(next, { prebuild: fullPrebuild() }, "the next normal call succeeds");
  served += 1;
}

for (const [i, c] of cases.entries()) {
  test(`hostile: ${c.name}`, c.todo ? { todo: c.todo } : {}, () => runCase(c, i));
}

test(`hostile: null and a wrong type in every position (${generated.length} cases)`, async () => {
  for (const [i, c] of generated.entries()) {
    if (c.expect.sameAs) handlers.set(`case-gen-${i}-ref`, (req, res) => send(res, 200, c.expect.sameAs));
    await runCase(c, `gen-${i}`).catch((e) => {
      e.message = `${c.name}: ${e.message}`;
      throw e;
    });
    handlers.delete(`case-gen-${i}-ref`);
  }
});

test("hostile: the corpus size", () => {
  const named = cases.length;
  console.log(
    `hostile corpus: ${named + generated.length} cases (${named} named, ${generated.length} generated: null and a wrong type in every position), ` +
      `${served} passed with the same client working after each`,
  );
  assert.ok(named >= 30, `at least 30 named cases, got ${named}`);
});
