#!/usr/bin/env bash
# `npm start`: build the extension and open a copy of the bundled sample corpus in VS Code with it.
#
# - A desktop VS Code (`code` on PATH, or VSCODE_EXECUTABLE): opens an Extension Development Host.
# - Otherwise (servers, CI images, containers): installs the VS Code server (code-server 4.100.3,
#   see scripts/integration/install.sh; cached outside the repo), starts it on 127.0.0.1:$PORT in
#   the foreground and prints the URL to open in a browser (with an SSH tunnel from elsewhere:
#   ssh -L 8080:127.0.0.1:8080 host). Ctrl-C stops it.
#
# Env: PORT (default 8080), WORKSPACE (default .cache/sample-workspace, a copy of
# test/fixtures/workspace made once; delete it to start over), NEWS_ANNOTATOR_VSCODE_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
PORT="${PORT:-8080}"
WORKSPACE="${WORKSPACE:-$REPO/.cache/sample-workspace}"

if [ ! -d node_modules ]; then
  if [ -f package-lock.json ]; then npm ci; else npm install; fi
fi
npm run build

if [ ! -d "$WORKSPACE" ]; then
  mkdir -p "$(dirname "$WORKSPACE")"
  cp -R test/fixtures/workspace "$WORKSPACE"
  echo "sample corpus copied to $WORKSPACE"
fi
# The extension serves corpus folders only: copies made before the fixture had its marker get one.
mkdir -p "$WORKSPACE/.news-annotator"

# A desktop VS Code? (code-server's `code` shim and remote CLIs are not: see run.mjs)
desktop=""
if [ -n "${VSCODE_EXECUTABLE:-}" ]; then
  desktop="$VSCODE_EXECUTABLE"
elif command -v code >/dev/null 2>&1; then
  real="$(readlink -f "$(command -v code)")"
  root="$(dirname "$(dirname "$real")")"
  if [ -d "$root/resources/app" ]; then desktop="$(command -v code)"; fi
fi
if [ -n "$desktop" ]; then
  echo "opening $WORKSPACE in $desktop with the extension from $REPO"
  exec "$desktop" --extensionDevelopmentPath="$REPO" "$WORKSPACE"
fi

SERVER_MAIN="$(bash scripts/integration/install.sh | tail -n 1)"
CACHE_DIR="${NEWS_ANNOTATOR_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/news-annotator-vscode}"
DATA_DIR="$CACHE_DIR/start-server-data"
mkdir -p "$DATA_DIR/data/User" "$CACHE_DIR/start-extensions"
if [ ! -f "$DATA_DIR/data/User/settings.json" ]; then
  cat > "$DATA_DIR/data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "update.mode": "none"
}
JSON
fi

# The extension is loaded as a development extension through the workbench URL (the same
# mechanism the integration tests use), so every `npm start` serves the fresh build.
URL="$(node -e '
const [port, repo, ws] = process.argv.slice(1);
const authority = `127.0.0.1:${port}`;
const payload = [["extensionDevelopmentPath", `vscode-remote://${authority}${repo}`], ["skipWelcome", "true"], ["skipReleaseNotes", "true"]];
console.log(`http://${authority}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
' "$PORT" "$REPO" "$WORKSPACE")"

node "$SERVER_MAIN" --host 127.0.0.1 --port "$PORT" --without-connection-token \
  --accept-server-license-terms --disable-telemetry --disable-workspace-trust \
  --server-data-dir "$DATA_DIR" --extensions-dir "$CACHE_DIR/start-extensions" \
  > "$DATA_DIR/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; exit 0' INT TERM
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the VS Code server exited; its log ($DATA_DIR/server.log):" >&2; tail -n 30 "$DATA_DIR/server.log" >&2; exit 1
  fi
  sleep 0.5
done

cat <<MSG

  News Corpus Annotator is running in VS Code (server) with the sample corpus. Open:

    $URL

  in a browser (Chromium/Chrome/Firefox). Workspace: $WORKSPACE
  Listening on 127.0.0.1:$PORT only (PORT=… to change; from another machine: ssh -L $PORT:127.0.0.1:$PORT …).
  Server log: $DATA_DIR/server.log. Ctrl-C stops the server.

MSG
wait "$server"
