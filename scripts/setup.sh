#!/usr/bin/env bash
# Installs the system packages the project needs (idempotent; skips what is present).
#   --browser  also Debian's chromium, which the browser tests drive through Playwright (no browser download).
set -euo pipefail
need=()
command -v readelf >/dev/null 2>&1 || need+=(binutils)
if [ "${1:-}" = "--browser" ] && [ -z "${AE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
