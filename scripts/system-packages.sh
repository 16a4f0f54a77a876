#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing.
# Usage: scripts/system-packages.sh run|test
#   run:  WeasyPrint's Pango, a CJK font, gettext (compiled translations), ffmpeg (ffprobe
#         measures the training catalogue's video and audio at upload)
#   test: the above, plus Chromium for the browser tests, poppler (pdftoppm) and zbar-tools
#         (zbarimg decodes the QR codes a page shows)
set -euo pipefail
need=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext ffmpeg)
if [ "${1:-run}" = "test" ]; then
  need+=(chromium poppler-utils zbar-tools)
fi
# Debian's Python needs python3-venv for `python3 -m venv` (with pip) to work.
if ! "${PYTHON:-python3}" -c "import ensurepip, venv" 2>/dev/null; then
  need+=(python3-venv)
fi
missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "These system packages are missing. Install them, then run make again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
