#!/usr/bin/env bash
# Install the Debian packages named as arguments when they are missing.
# As root this runs apt-get; otherwise it prints the exact command to run and fails.
set -euo pipefail
missing=()
for pkg in "$@"; do
    if [ "$pkg" = "python3-venv" ]; then
        # a Python that can already create virtualenvs needs no Debian package
        python3 -c "import ensurepip, venv" 2>/dev/null && continue
    fi
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "Debian-pakketten installeren: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "Ontbrekende Debian-pakketten: ${missing[*]}" >&2
    echo "Voer uit: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
