#!/usr/bin/env bash
# Sharded TRAK on Slurm: writes the plan here (it reads the database), then submits
#   featurize (array 0..N-1) → finalize (array) → score (array) → merge (one job)
# each with --dependency=afterok on the one before (a failed task cancels what depends on it: --kill-on-invalid-dep).
#   deploy/slurm/submit-trak.sh --dir SHARED --shards N --dataset NAME [--demo-sizes] [--config FILE] [--precompute DLL] [--wait]
# SHARED must be a directory every node reads and writes at the same path (NFS, Lustre). --wait blocks until the merge
# has ended and exits with its status. Extra sbatch options: STAGE_SBATCH_ARGS (every array, e.g. "--partition=cpu
# --time=02:00:00"), MERGE_SBATCH_ARGS (the merge, e.g. "--nodelist=dbhost": it writes the database, keep it where
# the database file is local). AE_* variables (e.g. AE_AttributionExplorer__DatabasePath) reach the jobs, since
# sbatch exports the submitting environment. AE_DATABASE_ROOT=DIR is a shorthand for DatabasePath=DIR/attribution.db
# and DataRoot=DIR/data.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="" shards="" dataset="" demo="" config="" wait="" precompute="${AE_PRECOMPUTE:-$here/../../precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll}"
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --shards) shards="$2"; shift 2 ;;
    --dataset) dataset="$2"; shift 2 ;;
    --demo-sizes) demo="--demo-sizes"; shift ;;
    --config) config="$2"; shift 2 ;;
    --precompute) precompute="$2"; shift 2 ;;
    --wait) wait="--wait"; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -n "$dataset" ] && [[ "$shards" =~ ^[1-9][0-9]*$ ]] || { sed -n 2,12p "$0"; exit 2; }
command -v sbatch > /dev/null || { echo "sbatch not found: this driver needs a Slurm client"; exit 1; }
mkdir -p "$dir/logs"
dir="$(cd "$dir" && pwd)"
export AE_PRECOMPUTE="$(realpath "$precompute")"
[ -n "$config" ] && export AE_CONFIG="$(realpath "$config")"
if [ -n "${AE_DATABASE_ROOT:-}" ]; then
  export AE_AttributionExplorer__DatabasePath="$AE_DATABASE_ROOT/attribution.db" AE_AttributionExplorer__DataRoot="$AE_DATABASE_ROOT/data"
fi

dotnet "$AE_PRECOMPUTE" trak-shard plan --dataset "$dataset" $demo --dir "$dir" ${AE_CONFIG:+--config "$AE_CONFIG"} > "$dir/logs/plan.log" 2>&1 \
  || { tail -20 "$dir/logs/plan.log"; exit 1; }
grep '^plan:' "$dir/logs/plan.log" || true

previous=""
for stage in featurize finalize score; do
  # shellcheck disable=SC2086
  previous=$(sbatch --parsable --kill-on-invalid-dep=yes ${previous:+--dependency=afterok:$previous} --array="0-$((shards - 1))" \
    --job-name="trak-$stage" --output="$dir/logs/$stage-%a.out" ${STAGE_SBATCH_ARGS:-} "$here/trak-stage.sbatch" "$stage" "$dir" "$shards")
  previous="${previous%%;*}"
  echo "submitted $stage: array job $previous (0-$((shards - 1)))"
done
# shellcheck disable=SC2086
merge=$(sbatch --parsable --kill-on-invalid-dep=yes --dependency="afterok:$previous" --job-name=trak-merge --output="$dir/logs/merge.out" \
  ${MERGE_SBATCH_ARGS:-} "$here/trak-merge.sbatch" "$dir")
merge="${merge%%;*}"
echo "submitted merge: job $merge (log $dir/logs/merge.out)"
[ -n "$wait" ] || exit 0
# Polled every second (sbatch --wait backs off to half a minute between polls).
state=""
while :; do
  state="$(scontrol show job "$merge" 2> /dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1)"
  case "$state" in PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | "") sleep 1 ;; *) break ;; esac
done
if [ "$state" != COMPLETED ]; then
  echo "merge job $merge ended $state"
  for log in "$dir"/logs/*.out; do echo "--- $log"; tail -5 "$log"; done
  exit 1
fi
grep '^merged' "$dir/logs/merge.out"
