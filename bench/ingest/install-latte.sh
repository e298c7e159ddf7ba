#!/usr/bin/env bash
# Builds latte, the load generator of phase (c) of `npm run bench:ingest`, into the
# git-ignored .tools/latte (about 9 minutes on two cores). The log stays in
# .tools/latte-build.log: when the build fails, the bench quotes its error as the reason.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .tools
if ! command -v cargo > /dev/null; then
  echo 'error: cargo (the Rust toolchain) is not installed' | tee .tools/latte-build.log >&2
  exit 1
fi
cargo install latte-cli --version 0.29.0 --locked --root .tools/latte 2>&1 | tee .tools/latte-build.log
