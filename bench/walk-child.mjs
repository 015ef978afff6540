// One client alone in a fresh Node process (spawned by run.mjs), walking the list:
//   node bench/walk-child.mjs KIND PKG_DIR BASE_URL TOKEN PAGE_SIZE ITEMS
// KIND: ours | peer | floor. Three walks to warm up, then five timed ones, with no
// forced garbage collection: the client pays for its own garbage and nobody else's.
// Prints one JSON line: { walk } (ms, the median of the five).
import * as C from "./lib/clients.mjs";

const [kind, pkgDir, baseUrl, token, pageSize, items] = process.argv.slice(2);
const client = kind === "ours" ? await C.ours(pkgDir, baseUrl, token) : kind === "peer" ? await C.peer(baseUrl, token) : C.floor(baseUrl, token);
const walk = async () => {
  const n = await client.walk(Number(pageSize));
  if (n !== Number(items)) throw new Error(`${kind} walked ${n} items, expected ${items}`);
};
for (let i = 0; i < 3; i += 1) await walk();
const times = [];
for (let i = 0; i < 5; i += 1) {
  const t0 = performance.now();
  await walk();
  times.push(performance.now() - t0);
}
console.log(JSON.stringify({ walk: times.sort((a, b) => a - b)[2] }));
