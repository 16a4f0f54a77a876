#!/usr/bin/env bash
# Copies the pinned front-end packages (package.json) into static/vendor. Pages never use a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version=$(node -p "require('./package.json').dependencies['@picocss/pico']")
(cd "$tmp" && npm pack --silent "@picocss/pico@$version" >/dev/null && tar xzf picocss-pico-*.tgz)
mkdir -p static/vendor/pico
cp "$tmp/package/css/pico.red.min.css" "$tmp/package/LICENSE.md" static/vendor/pico/
echo "vendored @picocss/pico $version"
