// Only where Vite keeps its files (under target/, from MATRIX_OUT): nothing about the package.
import { resolve } from "node:path";

const out = process.env.MATRIX_OUT ?? "dist";
export default {
  cacheDir: resolve(out, "vite-cache"),
  build: { outDir: resolve(out, "dist"), emptyOutDir: true },
  logLevel: "warn",
};
