#!/usr/bin/env bash
# Installs what building and running the LIMS needs on Debian 12; with --tests also what the
# test suite needs (MariaDB server/client for the MariaDB tests, npm tools in tests/tools).
# Idempotent: packages already installed are not asked for again, and apt-get update runs only
# when something is missing, so a second run takes a second or two.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  echo "usage: deploy/install-deps.sh [--tests]" >&2
  exit 2
}

with_tests=0
for arg in "$@"; do
  case $arg in
    --tests) with_tests=1 ;;
    -h | --help) usage ;;
    *) echo "install-deps: unknown argument '$arg'" >&2; usage ;;
  esac
done

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsoci-dev libboost-dev libmariadb-dev libsqlite3-dev sqlite3
  libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libabsl-dev libssl-dev
  # deploy/demo-data.sh reads the client's --json output with it.
  python3
  # lims completeness --png (optional at build time: without it the CLI offers --svg only);
  # label previews (required by label-printing).
  libcairo2-dev
  # label-printing: barcode symbols (ZXing-cpp), CUPS print queues, the preview's font.
  libzxing-dev libcups2-dev fonts-dejavu-core zlib1g-dev tzdata
  # scanning: PNG/JPEG/BMP decoding (libdeflate and libpng for PNG, stb_image for the others).
  libstb-dev libpng-dev libdeflate-dev
  # scanning: the rack reader's autocorrelation (FFTW).
  libfftw3-dev
  # shipment manifests: Ed25519 signatures; browser passwords: Argon2id.
  libsodium-dev
  # the HTTP port (the browser app and the JSON door).
  libcpp-httplib-dev
  # one logger for every library (lims-server's log lines).
  libspdlog-dev
)
if ((with_tests)); then
  # The fuzz targets (tests/fuzz/run.sh): clang, its libFuzzer and sanitizer runtimes, and
  # llvm for llvm-symbolizer (sanitizer reports with file:line).
  packages+=(mariadb-server mariadb-client clang libclang-rt-14-dev llvm)
  # The label tests: a real cupsd with a raw queue, and zbarimg as a second 1D decoder. The
  # queue's socket:// backend is in the full `cups` package (cups-daemon has only ipp://).
  packages+=(cups cups-daemon cups-client zbar-tools)
  # The e2e tests read the text of the PDF packing lists back (pdftotext).
  packages+=(poppler-utils)
  # tests/tools/rack_scene.py draws synthetic rack pictures (PIL, numpy, libdmtx's encoder).
  packages+=(python3-pil python3-numpy python3-pylibdmtx)
  # The browser app's tests drive Debian's Chromium headless (playwright-core, from npm).
  packages+=(chromium)
  # Operations: nginx as the front door of one process per service (deploy/cluster.sh), a
  # 3-node Galera cluster (deploy/galera/galera.sh; rsync for its state transfers), promtool
  # (in prometheus) checking /metrics and the alert rules, mariadb-backup for backups.
  packages+=(nginx prometheus galera-4 rsync mariadb-backup curl)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

# Node.js is checked by command, not by package: a machine may carry another build of nodejs
# (e.g. NodeSource's, which bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  # Daemons are not started by their installation (nginx, prometheus, mariadb, cups): the
  # tests and deploy/ start their own, in their own directories and ports.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 0755 "$policy"
    added_policy=1
  fi
  rc=0
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
  ((added_policy)) && "${sudo[@]}" rm -f "$policy"
  ((rc == 0)) || exit "$rc"
else
  echo "install-deps: Debian packages already installed" >&2
fi

if ((with_tests)); then
  tools=$ROOT/tests/tools
  stamp=$tools/node_modules/.lims-install-stamp
  # The stamp records the manifest and lock it was installed from: reinstall only on change.
  want=$(cat "$tools/package.json" "$tools/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    echo "install-deps: tests/tools/node_modules up to date" >&2
  else
    echo "install-deps: installing npm packages in tests/tools" >&2
    # No install scripts are needed (buf finds its platform binary itself), whatever npm's
    # script policy is.
    if [[ -f $tools/package-lock.json ]]; then
      (cd "$tools" && npm ci --no-audit --no-fund --ignore-scripts)
    else
      (cd "$tools" && npm install --no-audit --no-fund --ignore-scripts)
    fi
    # npm install may have written the lock file: hash again.
    cat "$tools/package.json" "$tools/package-lock.json" | sha256sum | cut -d' ' -f1 >"$stamp"
  fi
fi
