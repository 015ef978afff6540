#!/usr/bin/env bash
# Runs a command while a simulator listens on the given port, then stops it.
# Usage: tests/with-sim.sh PORT COMMAND...
set -euo pipefail
port=$1; shift
sim=${SIM_BIN:-target/release/prebuild-sim}
"$sim" --port "$port" --tick-ms 20 --quiet --www www --pkg pkg &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 $pid 2>/dev/null || { echo "the simulator exited early" >&2; exit 1; }
  sleep 0.1
done
"$@"
