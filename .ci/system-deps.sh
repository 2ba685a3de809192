#!/usr/bin/env bash
# Debian packages the tests need: a real Secret Service (gnome-keyring under dbus) for the keychain tests,
# and headless Chromium for the console's browser tests (test/console).
set -euo pipefail
need=()
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]} (run as root to install); keychain tests will use the file fallback only, and the console's browser tests need chromium" >&2
  fi
fi
