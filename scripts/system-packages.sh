#!/usr/bin/env bash
# Installs the Debian packages the tests need: chromium (browser tests), postgresql (the
# database tests' throwaway server), fonts-liberation (readable text in screenshots and the
# report's font; only a recommendation of chromium, and those are not installed here) and
# poppler-utils (pdftotext, pdftoppm, pdffonts for the report tests). Installs only what is
# missing; without root or apt-get it changes nothing and says so, so `make test` still runs
# (those tests then skip).
set -euo pipefail

PACKAGES=(chromium postgresql fonts-liberation poppler-utils)

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=()
for package in "${PACKAGES[@]}"; do
    if command -v dpkg-query >/dev/null 2>&1 && installed "$package"; then
        continue
    fi
    missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "system-packages: ${PACKAGES[*]} already installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "system-packages: no apt-get here; install ${missing[*]} yourself (tests that need them skip)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "system-packages: not root; run 'sudo $0' to install ${missing[*]} (tests that need them skip)"
    exit 0
fi

echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
