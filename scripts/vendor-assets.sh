#!/usr/bin/env bash
# Copies the pinned front-end packages (package.json) into static/vendor. Pages never use a CDN.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
version() { node -p "require('./package.json').dependencies['$1']"; }
fetch() {  # package, destination folder, files inside the package...
  local package=$1 dest=$2 pinned
  shift 2
  pinned=$(version "$package")
  rm -rf "$tmp/package"
  (cd "$tmp" && npm pack --silent "$package@$pinned" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
  mkdir -p "$dest"
  for file in "$@"; do cp "$tmp/package/$file" "$dest/"; done
  echo "vendored $package $pinned"
}
fetch @picocss/pico static/vendor/pico css/pico.red.min.css LICENSE.md
fetch echarts static/vendor/echarts dist/echarts.min.js LICENSE
