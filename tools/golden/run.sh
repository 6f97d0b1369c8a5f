#!/usr/bin/env bash
# Regenerates every golden fixture in test/fixtures/golden/ with Debian's Python and PyTorch:
#   apt-get install -y python3-torch python3-torchvision python3-sklearn
# CI never runs this: the fixtures are committed.
set -euo pipefail
cd "$(dirname "$0")"
PY=/usr/bin/python3
for gen in gen_*.py; do
  echo "== $gen" >&2
  "$PY" "$gen"
done
