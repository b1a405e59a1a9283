#!/usr/bin/env bash
# One-time system set-up on Debian/Ubuntu: installs the system packages Glassbox
# builds and tests with (chromium: the browser the HTML report tests render in).
# Needs root (or sudo). Safe to run again.
set -euo pipefail
packages=(pkg-config ocl-icd-opencl-dev opencl-headers pocl-opencl-icd libstb-dev chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
$sudo apt-get update
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
