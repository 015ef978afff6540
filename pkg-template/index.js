// Entry for browsers, workers, extension service workers and bundlers: the wasm is
// fetched from next to this file on first use (or wherever init() is told).
export * from "./client.js";
