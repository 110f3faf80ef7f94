#!/usr/bin/env bash
# Installs what the integration suite (and `npm start` without a desktop VS Code) needs:
#   - Debian packages: libkrb5-dev (native build of code-server deps), chromium (the browser
#     Playwright drives), ripgrep (given to @vscode/ripgrep as its "downloaded" binary);
#   - code-server@4.100.3 (= VS Code 1.100.3 server) into a cache folder OUTSIDE the repo.
# Idempotent: every step is skipped when already done. See docs in
# /work/shared/notes/vscode-integration-tests.md (the recipe this follows).
#
# Env:
#   NEWS_ANNOTATOR_VSCODE_CACHE  install folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/news-annotator-vscode)
#   CODE_SERVER_VERSION          default 4.100.3 (newer ones need Node 22+)
#   SKIP_APT=1                   do not touch apt (packages provided otherwise)
# Prints the path of server-main.js as its last line of stdout.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
CACHE="${NEWS_ANNOTATOR_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/news-annotator-vscode}"
# ripgrep pinned by code-server 4.100.3's lib/vscode (@vscode/ripgrep 1.15.11 → rg v13.0.0-10)
RG_PKG_VERSION="${RG_PKG_VERSION:-1.15.11}"
RG_VERSION="${RG_VERSION:-v13.0.0-10}"

t0=$(date +%s)
log() { echo "[install $(( $(date +%s) - t0 ))s] $*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

# ---------------------------------------------------------------------------- apt
if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=()
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  { [ -x /usr/bin/chromium ] || dpkg -s chromium >/dev/null 2>&1; } || missing+=(chromium)
  command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
  # a C/C++ toolchain and python for node-gyp, in case a native module has no prebuild
  command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    log "apt packages present"
  fi
fi
[ -x /usr/bin/chromium ] || { echo "install.sh: /usr/bin/chromium missing" >&2; exit 1; }

SERVER_MAIN="$CACHE/node_modules/code-server/lib/vscode/out/server-main.js"
MARKER="$CACHE/.installed-code-server-$CODE_SERVER_VERSION"
if [ -f "$MARKER" ] && [ -f "$SERVER_MAIN" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in $CACHE"
  echo "$SERVER_MAIN"
  exit 0
fi

# ---------------------------------------------------------------------------- ripgrep cache trick
# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable): hand it Debian's rg as its
# cached download. The cache folder is <os.tmpdir()>/vscode-ripgrep-cache-<pkg version>.
RG_BIN="$(command -v rg || true)"
if [ -n "$RG_BIN" ]; then
  rgcache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_PKG_VERSION"
  arch="$(uname -m)"
  case "$arch" in
    x86_64) targets="x86_64-unknown-linux-musl x86_64-unknown-linux-gnu" ;;
    aarch64|arm64) targets="aarch64-unknown-linux-musl aarch64-unknown-linux-gnu" ;;
    *) targets="$arch-unknown-linux-gnu" ;;
  esac
  mkdir -p "$rgcache"
  pack="$(mktemp -d)"
  cp "$RG_BIN" "$pack/rg"
  for t in $targets; do
    f="$rgcache/ripgrep-$RG_VERSION-$t.tar.gz"
    [ -s "$f" ] || tar czf "$f" -C "$pack" rg
  done
  rm -rf "$pack"
  log "ripgrep cache ready in $rgcache"
fi

# ---------------------------------------------------------------------------- code-server
mkdir -p "$CACHE"
# The cache folder is its own tiny npm project. npm >= 11.x gates dependency install scripts
# behind an allowScripts policy; code-server's postinstall (which installs VS Code's own
# node_modules, including native modules) MUST run, and it runs nested `npm install`s whose
# dependencies have install scripts too. So: allow all scripts for this project via package.json
# (read by npm 11), .npmrc (read by nested installs) and env (older npm ignores unknown keys).
cat > "$CACHE/package.json" <<JSON
{
  "name": "news-annotator-vscode-cache",
  "private": true,
  "description": "VS Code server (code-server) for the News Corpus Annotator integration tests. Not part of the repo.",
  "allowScripts": { "code-server": true }
}
JSON
cat > "$CACHE/.npmrc" <<'RC'
dangerously-allow-all-scripts=true
yes=true
fund=false
audit=false
update-notifier=false
RC

log "npm install code-server@$CODE_SERVER_VERSION into $CACHE (takes a few minutes)"
(
  cd "$CACHE"
  export npm_config_unsafe_perm=true npm_config_yes=true
  export npm_config_dangerously_allow_all_scripts=true
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  npm install --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >&2
)

CS="$CACHE/node_modules/code-server"
# Did the postinstall run? It populates lib/vscode/node_modules (and the built-in extensions').
postinstall_ok() {
  [ -d "$CS/lib/vscode/node_modules/@vscode/spdlog" ] && [ -d "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin" ]
}
if ! postinstall_ok; then
  log "code-server postinstall did not run (npm install-scripts policy?): running it now"
  (
    cd "$CS"
    export npm_config_unsafe_perm=true npm_config_yes=true
    export npm_config_dangerously_allow_all_scripts=true
    export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    npm run postinstall >&2
  )
fi
postinstall_ok || { echo "install.sh: code-server postinstall failed ($CS/lib/vscode/node_modules incomplete)" >&2; exit 1; }
[ -f "$SERVER_MAIN" ] || { echo "install.sh: $SERVER_MAIN missing" >&2; exit 1; }

touch "$MARKER"
log "done: code-server $CODE_SERVER_VERSION in $CACHE ($(du -sh "$CACHE" 2>/dev/null | cut -f1))"
echo "$SERVER_MAIN"
