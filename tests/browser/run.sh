#!/usr/bin/env bash
# Builds the sample site with a fixed build date and runs the browser tests against it.
# Needs Debian's chromium and `npm ci` in this folder (.ci/run does both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
site=$(mktemp -d)/site
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
"$root/target/release/reprisals-site" build --root "$root" --output "$site" --build-date 2026-11-29
cd "$here"
SITE_DIR="$site" node --test --test-concurrency=1 --test-reporter=spec "$@" ./*.test.mjs
