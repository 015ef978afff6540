// A CommonJS consumer of the installed tarball's types (node16 and nodenext: the
// "node" + "require" condition's index.d.cts).
import { PrebuildClient, ValidationError, type Prebuild } from "gitpod-prebuilds";
import pkg = require("gitpod-prebuilds");

const client = new PrebuildClient({ baseUrl: "http://127.0.0.1:8787/api", token: "t" });

export async function run(): Promise<string> {
  const { prebuilds } = await client.listPrebuilds({ pageSize: 5 });
  const first: Prebuild | undefined = prebuilds[0];
  const e: unknown = await client.getPrebuild({ prebuildId: first?.id ?? "x" }).catch((e: unknown) => e);
  const same: boolean = pkg.ValidationError === ValidationError;
  return e instanceof pkg.ValidationError ? `${e.field} ${same}` : "ok";
}

// @ts-expect-error: unknown option
new PrebuildClient({ timeout: 5 });
