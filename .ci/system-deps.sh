#!/bin/sh
# Install the Debian packages named in $DEB when missing: as root with apt, or say the command.
command -v dpkg-query >/dev/null 2>&1 || { echo "Not a Debian system: install these yourself: $DEB"; exit 0; }
missing=""
for package in $DEB; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages:$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Missing system packages:$missing"
    echo "Install them with:  sudo apt-get install -y$missing"
fi
