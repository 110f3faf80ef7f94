#!/usr/bin/env bash
# Renders the extension icon (media/icon.png, 128×128, referenced by package.json "icon") from its
# source media/icon.svg. Run after editing the SVG; the PNG is committed, so builds need no tool.
# Installs Debian's rsvg-convert (librsvg2-bin) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rsvg-convert >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get install -y -qq librsvg2-bin >&2 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq librsvg2-bin >&2; }
fi
rsvg-convert --width 128 --height 128 media/icon.svg --output media/icon.png
echo "media/icon.png ($(stat -c %s media/icon.png) bytes)"
