#!/usr/bin/env bash
# Installs the system packages the project needs (idempotent; skips what is present).
#   --browser  also Debian's chromium, which the browser tests drive through Playwright (no browser download).
#   --cluster  also what the team-deployment tests need: PostgreSQL's server binaries (the storage tests start a throwaway
#              cluster of their own with initdb/pg_ctl), Debian's Slurm (slurmctld, slurmd, client) and munge for the
#              sharded-TRAK test's one-node cluster, and kubectl (kubernetes-client) when none is installed, to render
#              deploy/k8s offline. No Debian service is started (a policy-rc.d refuses it during the install where none is
#              in place).
set -euo pipefail
need=()
command -v readelf >/dev/null 2>&1 || need+=(binutils)
browser=0 cluster=0
for flag in "$@"; do
  case "$flag" in --browser) browser=1 ;; --cluster) cluster=1 ;; *) echo "setup: unknown option $flag"; exit 2 ;; esac
done
if [ $browser = 1 ] && [ -z "${AE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then need+=(chromium); fi
if [ $cluster = 1 ]; then
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
  command -v slurmctld >/dev/null 2>&1 || need+=(slurmctld)
  command -v slurmd >/dev/null 2>&1 || need+=(slurmd)
  command -v sbatch >/dev/null 2>&1 || need+=(slurm-client)
  command -v munged >/dev/null 2>&1 || need+=(munge)
  command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  policy=/usr/sbin/policy-rc.d; added_policy=""
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && added_policy=1; fi
  rc=0
  { $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } || rc=$?
  [ -z "$added_policy" ] || $sudo rm -f "$policy"
  [ $rc -eq 0 ] || exit $rc
fi
command -v dotnet >/dev/null 2>&1 || { echo "setup: the .NET 10 SDK is required (https://dot.net)"; exit 1; }
