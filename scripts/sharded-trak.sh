#!/usr/bin/env bash
# Runs the demo's TRAK in N shards through the merge and prints the maximum relative difference of its scores to a
# single-process TRAK of the same inputs (exit 1 above 1e-4). Usage: scripts/sharded-trak.sh [N]   (default 4)
#   LAUNCHER=local   the shards are processes on this machine, each stage's N at once (default)
#   LAUNCHER=slurm   deploy/slurm/submit-trak.sh submits them as sbatch arrays with afterok dependencies
#   AE_CONFIG=FILE   settings (default appsettings.json; its Demo section sizes the run); WORK=DIR (default artifacts/sharded-trak)
# WORK/trained holds the generated, imported and trained demo (kept between runs); each run copies it into WORK/single
# (single-process `trak`) and WORK/sharded (plan → featurize → finalize → score → merge over WORK/shared), then compares.
set -euo pipefail
cd "$(dirname "$0")/.."
shards="${1:-4}"
launcher="${LAUNCHER:-local}"
config="$(realpath "${AE_CONFIG:-appsettings.json}")"
work="$(realpath -m "${WORK:-artifacts/sharded-trak}")"
dll="$PWD/precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N]  (N ≥ 1 shards)"; exit 2; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  dotnet build precompute/AttributionExplorer.Worker/AttributionExplorer.Worker.csproj -c Release -nologo -clp:ErrorsOnly
fi
# One database + data root per side; the settings file stays the same.
at() { local root="$1"; shift; AE_AttributionExplorer__DatabasePath="$root/attribution.db" AE_AttributionExplorer__DataRoot="$root/data" \
  dotnet "$dll" "$@" --config "$config"; }

echo "== demo dataset and checkpoints ($work/trained)"
at "$work/trained" demo --train-only
rm -rf "$work/single" "$work/sharded" "$work/shared"
for side in single sharded; do
  mkdir -p "$work/$side"
  at "$work/trained" backup --to "$work/$side/attribution.db" > /dev/null
  cp -a "$work/trained/data" "$work/$side/data"
done

echo "== single process: precompute trak"
start=$(date +%s)
at "$work/single" trak --dataset demo --demo-sizes > "$work/single/trak.log" 2>&1 || { tail -20 "$work/single/trak.log"; exit 1; }
echo "single process: $(( $(date +%s) - start )) s (log: $work/single/trak.log)"

echo "== $shards shards ($launcher) over $work/shared"
start=$(date +%s)
if [ "$launcher" = slurm ]; then
  AE_DATABASE_ROOT="$work/sharded" deploy/slurm/submit-trak.sh --dir "$work/shared" --shards "$shards" --dataset demo --demo-sizes \
    --config "$config" --precompute "$dll" --wait
else
  at "$work/sharded" trak-shard plan --dataset demo --demo-sizes --dir "$work/shared" > "$work/sharded/plan.log" 2>&1 || { tail -20 "$work/sharded/plan.log"; exit 1; }
  mkdir -p "$work/shared/logs"
  for stage in featurize finalize score; do
    pids=()
    for ((i = 0; i < shards; i++)); do
      at "$work/sharded" trak-shard "$stage" --dir "$work/shared" --shard "$i/$shards" > "$work/shared/logs/$stage-$i.log" 2>&1 &
      pids+=($!)
    done
    for ((i = 0; i < shards; i++)); do
      wait "${pids[$i]}" || { echo "$stage shard $i/$shards failed:"; tail -20 "$work/shared/logs/$stage-$i.log"; exit 1; }
      tail -1 "$work/shared/logs/$stage-$i.log"
    done
  done
  at "$work/sharded" trak-shard merge --dir "$work/shared" > "$work/shared/logs/merge.log" 2>&1 || { tail -20 "$work/shared/logs/merge.log"; exit 1; }
  grep '^merged' "$work/shared/logs/merge.log"
fi
echo "sharded: $(( $(date +%s) - start )) s (logs: $work/shared/logs)"

echo "== sharded against single process"
at "$work/sharded" trak-shard compare --dataset demo --reference-db "$work/single/attribution.db" --reference-data-root "$work/single/data" \
  | grep -E '^(TRAK|maximum|error)'
