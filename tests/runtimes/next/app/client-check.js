"use client";
// A client component: the script runs in the browser (Next.js's browser bundle, the
// package's default entry and its .wasm as an asset).
import * as pkg from "gitpod-prebuilds";
import { useEffect, useState } from "react";
import { check } from "../../shared/check.mjs";

export default function ClientCheck({ sim }) {
  const [result, setResult] = useState(null);
  useEffect(() => {
    check(pkg, { baseUrl: `${sim}/api` })
      .catch((e) => ({ ok: false, error: `${e?.name}: ${e?.message}`, stack: String(e?.stack ?? "") }))
      .then((r) => {
        globalThis.__result = r;
        setResult(r);
      });
  }, [sim]);
  return <pre id="client">{result ? JSON.stringify(result) : "running"}</pre>;
}
