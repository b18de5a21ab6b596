#!/usr/bin/env bash
# Installs what building, running and testing Mission CRM need on Debian or
# Ubuntu, skipping whatever is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# poppler-utils: pdftotext, which reads the outcome report's PDF back in a test.
# libclang-dev: bindgen, for the bundled SQLite built with its session
# extension (undo).
packages=(build-essential pkg-config libclang-dev libwebkit2gtk-4.1-dev xvfb xauth webkit2gtk-driver poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
# make test checks formatting and lints: a minimal rustup profile lacks both.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null; then
    echo "==> rustup: adding rustfmt and clippy"
    rustup component add rustfmt clippy
  else
    echo "cargo fmt and cargo clippy are required (rustup component add rustfmt clippy)" >&2
    exit 1
  fi
fi
# The UI's build tools (Vite 8, Rolldown) need Node.js ^20.19 or >=22.12:
# with another npm ci only warns, and the build then fails obscurely.
command -v node >/dev/null && command -v npm >/dev/null || {
  echo "Node.js 20.19+ or 22.12+, with npm, is required: https://nodejs.org" >&2
  exit 1
}
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a >= 23 ? 0 : 1)' || {
  echo "Node.js $(node --version) does not build the UI: it needs 20.19+ or 22.12+ (https://nodejs.org)" >&2
  exit 1
}

if ! command -v tauri-driver >/dev/null; then
  echo "==> cargo: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm: installing the UI's packages"
  npm --prefix ui ci --no-audit --no-fund
fi
