#!/usr/bin/env bash
# Debian packages the tests need: a real Secret Service (gnome-keyring under dbus) for the keychain tests,
# headless Chromium for the console's browser tests (test/console), and shellcheck for the example scripts.
set -euo pipefail
need=()
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]} (run as root to install); keychain tests will use the file fallback only, the console's browser tests need chromium and the example scripts' check needs shellcheck" >&2
  fi
fi
