// A plain webpack 5 build for the browser: nothing about the package in it. The output
// directory comes from MATRIX_OUT (the runner sets it under target/).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export default {
  mode: "production",
  target: "web",
  entry: resolve(here, "main.js"),
  output: { path: resolve(process.env.MATRIX_OUT ?? resolve(here, "dist")), filename: "main.js", clean: true },
};
