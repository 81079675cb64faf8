#!/usr/bin/env bash
# Sharded TRAK on Kubernetes, one stage after the other: plan → featurize (N pods) → finalize (N) → score (N) → merge.
#   deploy/k8s/run-trak.sh [N]          (default 4; kubectl's current context and namespace; NAMESPACE=… to choose)
# Each Job is deleted and created again (Jobs are immutable), with completions = parallelism = SHARDS = N set by
# `kubectl patch --local` / `kubectl set env --local`; a stage that fails or passes TIMEOUT_SECONDS (default 7200) stops the run
# with its pods' last log lines. Rerunning is cheap: finished shards find their manifests and skip.
set -euo pipefail
cd "$(dirname "$0")"
n="${1:-4}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N]"; exit 2; }
k() { kubectl ${NAMESPACE:+--namespace "$NAMESPACE"} "$@"; }
k apply -f pvc.yaml
for job in trak-plan trak-featurize trak-finalize trak-score trak-merge; do
  k delete job "$job" --ignore-not-found --wait=true > /dev/null
  manifest="$(cat "$job.yaml")"
  if grep -q 'completionMode: Indexed' "$job.yaml"; then
    manifest="$(kubectl patch --local -f "$job.yaml" --type=merge -p "{\"spec\":{\"completions\":$n,\"parallelism\":$n}}" -o yaml \
      | kubectl set env --local -f - "SHARDS=$n" -o yaml)"
  fi
  echo "$manifest" | k apply -f -
  # Complete or failed, whichever comes first (polled: the Job's conditions).
  deadline=$((SECONDS + ${TIMEOUT_SECONDS:-7200}))
  while :; do
    conditions="$(k get job "$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')"
    case " $conditions " in
      *" Complete "*) echo "$job: complete"; break ;;
      *" Failed "*) echo "$job: failed"; k logs "job/$job" --all-containers --tail=20 || true; exit 1 ;;
    esac
    [ $SECONDS -lt $deadline ] || { echo "$job: not done after ${TIMEOUT_SECONDS:-7200} s"; exit 1; }
    sleep 5
  done
done
k logs job/trak-merge | grep '^merged' || true
