#!/usr/bin/env bash
# The one test command (npm test, and .ci/run): sets up what is missing on a
# fresh machine, then runs every depth of tests: type check, unit tests of the
# core, protocol tests of the bundled server over a real LSP connection, the
# reliability suite (hostile and unlucky inputs, large sidecars), and the
# integration suite inside a real VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "== installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "== type check"
npx tsc -p . --noEmit

echo "== build"
npm run build

results="$(mktemp -d)"
status=0

echo "== unit, protocol and reliability tests"
node --import tsx --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/node.tap" \
  test/unit/*.test.ts test/protocol/*.test.ts test/reliability/*.test.ts || status=1

echo "== integration tests inside VS Code"
node scripts/integration/run.mjs 2>&1 | tee "$results/integration.log" || status=1

node_pass=$(grep -E '^# pass ' "$results/node.tap" | awk '{print $3}' | tail -1)
node_fail=$(grep -E '^# fail ' "$results/node.tap" | awk '{print $3}' | tail -1)
int_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$results/integration.log" | tail -1 || true)
int_pass=$(echo "${int_line:-0 passed, 1 failed}" | awk '{print $1}')
int_fail=$(echo "${int_line:-0 passed, 1 failed}" | awk '{print $3}')
[ -n "$int_line" ] || echo "integration suite printed no result line: counted as failed"

echo "== unit+protocol+reliability: ${node_pass:-0} passed, ${node_fail:-?} failed; integration: ${int_pass} passed, ${int_fail} failed"
total_pass=$(( ${node_pass:-0} + int_pass ))
total_fail=$(( ${node_fail:-1} + int_fail ))
[ "$total_fail" -eq 0 ] || status=1
echo "${total_pass} passed, ${total_fail} failed"
exit $status
