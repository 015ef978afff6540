// An ES module consumer of the installed tarball's types (node16 and nodenext: the
// "node" + "import" condition's index.d.ts; bundler: the top-level "types").
import {
  PrebuildClient, init, ValidationError, NotFoundError, APIError, PrebuildClientError,
  type Prebuild, type ListPrebuildsResponse, type ClientOptions, type WebAssemblyModule,
} from "gitpod-prebuilds";
import wasm from "gitpod-prebuilds/gitpod_prebuilds_bg.wasm";

const options: ClientOptions = { baseUrl: "http://127.0.0.1:8787/api", token: "t", maxRetries: 0 };
const client = new PrebuildClient(options);

export async function run(): Promise<string> {
  await init(wasm);
  const page: ListPrebuildsResponse = await client.listPrebuilds({ pageSize: 5 });
  const first: Prebuild | undefined = page.prebuilds[0];
  if (!first) return "empty";
  const { prebuild } = await client.getPrebuild({ prebuildId: first.id });
  try {
    await client.getPrebuild({ prebuildId: "not-a-uuid" });
  } catch (e) {
    if (e instanceof ValidationError) return `${e.field}: ${e.message}`;
    if (e instanceof NotFoundError || e instanceof APIError) return `${e.status ?? "-"} ${e.code ?? "-"}`;
    if (e instanceof PrebuildClientError) return e.message;
  }
  return `${prebuild.id} ${prebuild.status.phase} ${page.pagination.nextToken}`;
}

// Node's types alone declare no WebAssembly: the types still compile, without it.
type IsNever<T> = [T] extends [never] ? true : false;
export const moduleIsDeclared: IsNever<WebAssemblyModule> = true;

// @ts-expect-error: prebuildId is required
void client.getPrebuild({});
