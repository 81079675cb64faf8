#!/usr/bin/env bash
# A one-node Slurm cluster for the sharded TRAK: writes a minimal slurm.conf (this host as the only node, no cgroups),
# a munge key, starts munged, slurmctld and slurmd from a temporary directory, waits for the node to be idle, runs
# scripts/sharded-trak.sh N through real sbatch arrays (tiny demo: tiny-demo.appsettings.json next to this script) and
# stops every daemon it started, also on failure. Exit 0: merged scores within 1e-4 of the single process; 77: skipped,
# with the reason on a line "SKIP: …" (no Slurm, not root, a daemon that cannot start); anything else: failure.
#   tests/AttributionExplorer.Precompute.Tests/Deploy/slurm-single-node.sh [N]      (default 4; needs the worker built)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
shards="${1:-4}"
skip() { echo "SKIP: $*"; exit 77; }
for tool in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$tool" > /dev/null 2>&1 || skip "$tool is not installed (`scripts/setup.sh --cluster`, which test.sh runs, installs Debian's slurmctld, slurmd, slurm-client and munge)"
done
[ "$(id -u)" -eq 0 ] || skip "the test starts slurmd as root (SlurmdUser=root) and this user is $(id -un)"
[ -f "$root/precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll" ] || { echo "build the worker first (Release)"; exit 1; }

tmp="$(mktemp -d /tmp/ae-slurm.XXXXXX)"
host="$(hostname -s)"
pids=()
cleanup() {
  for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2> /dev/null
  done
  for _ in $(seq 50); do
    alive=0
    for pidfile in "$tmp/slurmd.pid" "$tmp/slurmctld.pid" "$tmp/munged.pid"; do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  [ -n "${KEEP_SLURM_TMP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
daemon_failed() { # name, log: the daemon did not come up — say why and skip
  echo "--- $2"; tail -15 "$2" 2> /dev/null
  skip "$1 could not start on this machine: $(grep -iE 'error|fatal' "$2" 2> /dev/null | tail -1)"
}

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool"
chmod 700 "$tmp/munge"
head -c 1024 /dev/urandom > "$tmp/munge/munge.key" && chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munge/munge.seed" > "$tmp/munged.out" 2>&1 || { cat "$tmp/munged.out" >> "$tmp/munged.log"; daemon_failed munged "$tmp/munged.log"; }

cat > "$tmp/slurm.conf" <<CONF
ClusterName=aetest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
# Schedule every second (default 60 s): the stages are seconds long and wait on each other.
SchedulerParameters=sched_interval=1,bf_interval=1,sched_min_interval=100000
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -f "$SLURM_CONF" -i > "$tmp/slurmctld.out" 2>&1 || { cat "$tmp/slurmctld.out" >> "$tmp/slurmctld.log"; daemon_failed slurmctld "$tmp/slurmctld.log"; }
slurmd -f "$SLURM_CONF" > "$tmp/slurmd.out" 2>&1 || { cat "$tmp/slurmd.out" >> "$tmp/slurmd.log"; daemon_failed slurmd "$tmp/slurmd.log"; }
state=""
for _ in $(seq 60); do
  state="$(sinfo -h -n "$host" -o %T 2> /dev/null | head -1)"
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  for log in slurmctld slurmd; do echo "--- $log.log"; tail -8 "$tmp/$log.log" 2> /dev/null; done
  skip "node $host did not become idle within 30 s (state '${state:-unknown}'): $(grep -ihE 'error|fatal' "$tmp/slurmd.log" "$tmp/slurmctld.log" 2> /dev/null | tail -1)"
fi
echo "slurm: node $host idle ($(sinfo --version))"

cd "$root"
AE_CONFIG="$here/tiny-demo.appsettings.json" LAUNCHER=slurm WORK="$tmp/work" SKIP_BUILD=1 scripts/sharded-trak.sh "$shards"
rc=$?
if [ $rc -ne 0 ]; then
  echo "--- job logs"; tail -n 5 "$tmp"/work/shared/logs/*.out 2> /dev/null
  echo "--- slurmctld.log"; tail -n 10 "$tmp/slurmctld.log"
fi
exit $rc
