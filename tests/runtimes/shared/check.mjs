// The one small script every row of the runtime matrix runs, in its runtime or in its
// bundle: list a page, fetch one prebuild by id, and meet a ValidationError and a
// NotFoundError that are `instanceof` the classes the package exports. It throws on any
// mismatch, and returns what the runner then checks against the simulator itself.
// Plain ES2022 with no imports: it runs unchanged in Node, Deno, Bun, workerd, a page.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MISSING = "00000000-0000-4000-8000-000000000000";
const CLASSES = [
  "PrebuildClientError", "ValidationError", "APIError", "BadRequestError", "AuthenticationError",
  "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError",
  "InternalServerError", "APIConnectionError", "APIConnectionTimeoutError", "APIUserAbortError", "ResponseDecodeError",
];

function expect(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

/**
 * Runs the script against the simulator at `baseUrl` (…/api) with the package's module
 * namespace `pkg`. Resolves with `{ ok, ids, fetched, validation, notFound }`.
 */
export async function check(pkg, { baseUrl, token = "runtime-matrix" }) {
  for (const name of ["PrebuildClient", "init", ...CLASSES]) expect(typeof pkg[name] === "function", `${name} is exported`);
  // No options: reads GITPOD_* where there is an environment, and must not throw (Deno
  // without --allow-env included).
  new pkg.PrebuildClient();
  const client = new pkg.PrebuildClient({ baseUrl, token, maxRetries: 0 });

  const page = await client.listPrebuilds({ pageSize: 5 });
  expect(Array.isArray(page.prebuilds) && page.prebuilds.length === 5, `a page of 5, got ${JSON.stringify(page).slice(0, 200)}`);
  expect(typeof page.pagination?.nextToken === "string" && page.pagination.nextToken !== "", "a token for the next page");
  for (const p of page.prebuilds) {
    expect(UUID.test(p.id) && UUID.test(p.metadata.projectId), `ids are UUIDs: ${p.id} ${p.metadata.projectId}`);
    expect(/^PREBUILD_PHASE_[A-Z]+$/.test(p.status.phase), `a phase name: ${p.status.phase}`);
    expect(/^\d+$/.test(p.spec.specVersion) && /^\d+$/.test(p.status.statusVersion), "64-bit versions as decimal strings");
    expect(/^\d{4}-\d\d-\d\dT/.test(p.metadata.createdAt), `an RFC 3339 time: ${p.metadata.createdAt}`);
  }

  const first = page.prebuilds[0];
  const { prebuild } = await client.getPrebuild({ prebuildId: first.id });
  expect(prebuild.id === first.id, `getPrebuild returns the one asked for: ${prebuild.id} != ${first.id}`);
  expect(prebuild.metadata.projectId === first.metadata.projectId, "with the listed project");

  const invalid = await client.getPrebuild({ prebuildId: "not-a-uuid" }).then(() => null, (e) => e);
  expect(invalid instanceof pkg.ValidationError, `a ValidationError instanceof the exported class, got ${invalid}`);
  expect(invalid instanceof pkg.PrebuildClientError && invalid instanceof Error, "also instanceof PrebuildClientError and Error");
  expect(invalid.name === "ValidationError" && invalid.field === "prebuildId", `name and field: ${invalid.name} ${invalid.field}`);

  const missing = await client.getPrebuild({ prebuildId: MISSING }).then(() => null, (e) => e);
  expect(missing instanceof pkg.NotFoundError && missing instanceof pkg.APIError, `a NotFoundError, got ${missing}`);
  expect(missing.status === 404 && missing.code === "not_found", `404 not_found, got ${missing.status} ${missing.code}`);

  return {
    ok: true,
    ids: page.prebuilds.map((p) => p.id),
    fetched: prebuild.id,
    validation: `${invalid.name} on ${invalid.field}`,
    notFound: `${missing.name} ${missing.status}`,
  };
}

/**
 * For runtimes with both module systems: the package loaded by `import` (`esm`) and by
 * `require` (`cjs`) in one process must be one copy, so that an error from either is
 * `instanceof` the other's classes.
 */
export async function checkOneCopy(esm, cjs) {
  for (const name of ["PrebuildClient", ...CLASSES]) expect(esm[name] === cjs[name], `import and require give the same ${name}`);
  const e = await new cjs.PrebuildClient({ baseUrl: "http://127.0.0.1:9/api" }).getPrebuild({ prebuildId: "x" }).catch((e) => e);
  expect(e instanceof esm.ValidationError, "an error from the require()d client is instanceof the imported class");
  return "import and require share one copy";
}
