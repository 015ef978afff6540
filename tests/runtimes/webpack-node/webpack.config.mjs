// A plain webpack 5 build of a Node program: nothing about the package in it. The
// output directory comes from MATRIX_OUT (the runner sets it under target/).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export default {
  mode: "production",
  target: "node",
  entry: resolve(here, "main.mjs"),
  output: { path: resolve(process.env.MATRIX_OUT ?? resolve(here, "dist")), filename: "main.cjs", clean: true },
};
