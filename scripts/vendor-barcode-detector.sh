#!/usr/bin/env bash
# Refresh the vendored QR reader in app/static/vendor/barcode-detector from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=app/static/vendor/barcode-detector
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent barcode-detector@3.2.2 zxing-wasm@3.1.3 >/dev/null)
mkdir -p "$WORK/bd" "$WORK/zx"
tar xzf "$WORK"/barcode-detector-3.2.2.tgz -C "$WORK/bd"
tar xzf "$WORK"/zxing-wasm-3.1.3.tgz -C "$WORK/zx"
cp "$WORK/bd/package/dist/iife/ponyfill.js" "$DEST/ponyfill.js"
cp "$WORK/zx/package/dist/reader/zxing_reader.wasm" "$DEST/zxing_reader.wasm"
expected=$(grep -o '`[0-9a-f]\{64\}`' "$DEST/ponyfill.js" | tr -d '`')
actual=$(sha256sum "$DEST/zxing_reader.wasm" | cut -d' ' -f1)
[ "$expected" = "$actual" ] || { echo "wasm hash $actual does not match the polyfill's $expected" >&2; exit 1; }
echo "vendored barcode-detector 3.2.2 + zxing-wasm 3.1.3 ($actual)"
