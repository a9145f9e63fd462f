#!/usr/bin/env bash
# Installs the Debian packages kefu needs to build, test and run.
# Idempotent: packages already present are skipped, and `apt-get update`
# runs only when something is missing.
#   scripts/install-deps.sh            build + run + unit/API tests
#   scripts/install-deps.sh --bench    also the HTTP load generator (wrk)
#   scripts/install-deps.sh --browser  also chromium and node for the web app
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libsodium-dev libspdlog-dev libfmt-dev
  libcli11-dev libtomlplusplus-dev libicu-dev libcld2-dev libcurl4-openssl-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-aiosmtpd curl
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk) ;;
    --browser) packages+=(chromium fonts-wqy-microhei nodejs npm) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  # nodejs/npm may come from outside Debian (preinstalled node): accept a working binary.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]} (run as root, or install them)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
