#!/usr/bin/env bash
# Builds the web app into web/dist with the locked npm dependencies.
# Skips npm ci when node_modules matches the lock file, and the build when
# nothing under web/ changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/../web"
stamp=node_modules/.kefu-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
if [ -f dist/index.html ] && [ -z "$(find src public index.html package.json vite.config.* -newer dist/index.html 2>/dev/null | head -n 1)" ]; then
  exit 0
fi
npm run build --silent
