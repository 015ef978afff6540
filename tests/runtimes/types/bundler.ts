// A consumer under moduleResolution "bundler" (Vite, webpack, esbuild, Next.js users).
import { PrebuildClient, init, ValidationError, type WarmPool, type WebAssemblyModule } from "gitpod-prebuilds";
import wasm from "gitpod-prebuilds/gitpod_prebuilds_bg.wasm";

const client = new PrebuildClient({ baseUrl: "/api", token: "t" });

export async function run(compiled: WebAssembly.Module): Promise<number> {
  await init(wasm);
  await init(compiled);
  await init(new Uint8Array(8));
  const pools: WarmPool[] = [];
  for await (const w of client.iterWarmPools({ pageSize: 10 })) pools.push(w);
  const e = await client.getPrebuild({ prebuildId: "x" }).catch((e: unknown) => e);
  return e instanceof ValidationError ? pools.length : -1;
}

// With lib "dom", init() takes a WebAssembly.Module.
type IsNever<T> = [T] extends [never] ? true : false;
export const moduleIsDeclared: IsNever<WebAssemblyModule> = false;

// @ts-expect-error: phases are string unions
void client.listPrebuilds({ filter: { phases: ["RUNNING"] } });
