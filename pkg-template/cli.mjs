#!/usr/bin/env node
// The gitpod-prebuilds command (package.json "bin"). Run `gitpod-prebuilds --help`.
import { main } from "./cli/main.js";

// A reader that goes away (`gitpod-prebuilds prebuilds list | head`) is not an error.
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
  process.exit(0);
});

process.exitCode = await main(process.argv.slice(2));
