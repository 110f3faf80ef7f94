#!/usr/bin/env bash
# The one test command (npm test, and .ci/run): sets up what is missing on a
# fresh machine, then runs every depth of tests: type check, unit tests of the
# core, protocol tests of the bundled server over a real LSP connection, the
# reliability suite (hostile and unlucky inputs, large sidecars), the Dask
# job on a local cluster (test/dask), and the integration suite inside a real
# VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "== installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "== type check"
npx tsc -p . --noEmit
npx tsc -p client/webview --noEmit

echo "== build"
npm run build

results="$(mktemp -d)"
status=0

echo "== unit, protocol and reliability tests"
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/node.tap" \
  test/unit/*.test.ts test/protocol/*.test.ts test/reliability/*.test.ts || status=1

echo "== Dask job on a local cluster (examples/dask)"
# Debian's Dask, run with /usr/bin/python3 (never pip): installed when missing.
if ! /usr/bin/python3 -c 'import dask.bag, dask.distributed' >/dev/null 2>&1 && [ "${SKIP_APT:-0}" != 1 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "== installing python3-dask python3-distributed (apt-get)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-dask python3-distributed \
    || echo "could not install python3-dask/python3-distributed: the Dask test will fail"
fi
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/dask.tap" \
  test/dask/*.test.ts || status=1

echo "== integration tests inside VS Code"
node scripts/integration/run.mjs 2>&1 | tee "$results/integration.log" || status=1

node_pass=$(grep -E '^# pass ' "$results/node.tap" | awk '{print $3}' | tail -1)
node_fail=$(grep -E '^# fail ' "$results/node.tap" | awk '{print $3}' | tail -1)
dask_pass=$(grep -E '^# pass ' "$results/dask.tap" 2>/dev/null | awk '{print $3}' | tail -1)
dask_fail=$(grep -E '^# fail ' "$results/dask.tap" 2>/dev/null | awk '{print $3}' | tail -1)
int_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$results/integration.log" | tail -1 || true)
int_pass=$(echo "${int_line:-0 passed, 1 failed}" | awk '{print $1}')
int_fail=$(echo "${int_line:-0 passed, 1 failed}" | awk '{print $3}')
[ -n "$int_line" ] || echo "integration suite printed no result line: counted as failed"

echo "== unit+protocol+reliability: ${node_pass:-0} passed, ${node_fail:-?} failed; integration: ${int_pass} passed, ${int_fail} failed"
echo "== dask: ${dask_pass:-0} passed, ${dask_fail:-?} failed"
total_pass=$(( ${node_pass:-0} + ${dask_pass:-0} + int_pass ))
total_fail=$(( ${node_fail:-1} + ${dask_fail:-1} + int_fail ))
[ "$total_fail" -eq 0 ] || status=1
echo "${total_pass} passed, ${total_fail} failed"
exit $status
