#!/usr/bin/env bash
# Installs the system packages the project needs (idempotent; skips what is present).
#   --browser  also Debian's chromium, which the browser tests drive through Playwright (no browser download).
#   --cluster  also Debian's Slurm (slurmctld, slurmd, client) and munge, for the sharded-TRAK test's one-node cluster,
#              and kubectl (kubernetes-client) when none is installed, to render deploy/k8s offline.
set -euo pipefail
need=()
command -v readelf >/dev/null 2>&1 || need+=(binutils)
browser=0 cluster=0
for flag in "$@"; do
  case "$flag" in --browser) browser=1 ;; --cluster) cluster=1 ;; *) echo "setup: unknown option $flag"; exit 2 ;; esac
done
if [ $browser = 1 ] && [ -z "${AE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ $cluster = 1 ]; then
  command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
  command -v munged >/dev/null 2>&1 || need+=(munge)
  command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
