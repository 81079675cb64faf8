#!/usr/bin/env bash
# Installs the system packages the project needs (idempotent; skips what is present).
#   --browser  also Debian's chromium, which the browser tests drive through Playwright (no browser download).
#   --slurm    also Debian's Slurm (slurmctld, slurmd, client) and munge: the sharded-TRAK test starts a one-node cluster.
set -euo pipefail
need=()
command -v readelf >/dev/null 2>&1 || need+=(binutils)
browser=0 slurm=0
for flag in "$@"; do
  case "$flag" in --browser) browser=1 ;; --slurm) slurm=1 ;; *) echo "setup: unknown option $flag"; exit 2 ;; esac
done
if [ $browser = 1 ] && [ -z "${AE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ $slurm = 1 ]; then
  command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
  command -v munged >/dev/null 2>&1 || need+=(munge)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
