// gitpod-prebuilds/sim from the packed tarball, run as is by Node (ES modules), Bun and
// Deno (`node|bun main.mjs`, `deno run --allow-read main.mjs`): shared/sim-check.mjs.
import { createSimulator } from "gitpod-prebuilds/sim";
import { PrebuildClient } from "gitpod-prebuilds";
import { report } from "../shared/report.mjs";
import { simCheck } from "../shared/sim-check.mjs";

report(() => simCheck({ createSimulator, PrebuildClient }));
