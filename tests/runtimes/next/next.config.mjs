// The matrix's Next.js 16 app: nothing about the package here (no
// serverExternalPackages). The root is tests/runtimes, whose node_modules holds next,
// react and the package, and whose shared/ holds the script.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export default { turbopack: { root }, outputFileTracingRoot: root };
