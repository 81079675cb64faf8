#!/usr/bin/env bash
# Builds everything, runs the demo precompute (generate → import → train → TRAK → the database; completed steps
# are skipped on later runs), then starts the web app and prints its URL.
set -euo pipefail
cd "$(dirname "$0")"
export AE_HOME="$PWD"
port="${PORT:-5080}"
# Storage: SQLite at data/attribution.db unless AttributionExplorer__Storage__Provider=postgres and
# AttributionExplorer__Storage__ConnectionString name a PostgreSQL database (README, "Running on a cluster"). The web app
# reads AttributionExplorer__… variables, the worker AE_AttributionExplorer__… ones: each setting goes to both, so the
# demo is computed into the database the app shows.
for key in Storage__Provider Storage__ConnectionString DataRoot; do
  web="AttributionExplorer__${key}" worker="AE_AttributionExplorer__${key}"
  if [ -n "${!web:-}" ] && [ -n "${!worker:-}" ] && [ "${!web}" != "${!worker}" ]; then
    echo "error: $web and $worker differ: the app and the worker would use different storage (set one of them)" >&2
    exit 1
  fi
  value="${!web:-${!worker:-}}"
  if [ -n "$value" ]; then export "$web=$value" "$worker=$value"; fi
done
data="${AttributionExplorer__DataRoot:-data}"
if [ "${AttributionExplorer__Storage__Provider:-sqlite}" = postgres ]; then
  # A data root holds the files of one database (checkpoints and matrices are named by run id): the PostgreSQL demo
  # keeps its own, so a SQLite demo in data/ is left as it is.
  data="${AttributionExplorer__DataRoot:-data/postgres}"
  export AttributionExplorer__DataRoot="$data" AE_AttributionExplorer__DataRoot="$data"
fi
./scripts/setup.sh
# Only the two programs the demo runs (the test projects would double the build time), in one build so that they
# build side by side (AttributionExplorer.Demo.slnf); their references come along.
dotnet build AttributionExplorer.Demo.slnf -c Release -nologo -clp:ErrorsOnly
dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll demo
# Label-error detection needs no retraining (seconds); EVAL=all also runs the four retraining evaluations
# (resumable; see README, "Evaluations", for their CPU budget).
dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll eval "${EVAL:-label-errors}" --dataset demo --demo-sizes
url="http://127.0.0.1:${port}"
# Every page needs a signed-in user: the first run adds "admin" with a random password in $data/demo-admin.txt
# (mode 600); later runs keep it (precompute users password --name admin sets another). An admin the database has
# already (on PostgreSQL, perhaps added on another machine) is kept, and no file is written.
dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll users demo-admin --file "$data/demo-admin.txt"
# The on-demand worker does the jobs the app queues (e.g. attribute a drawn region); it stops with the app.
dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll serve > "$data/serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT INT TERM
echo
echo "AttributionExplorer is starting at ${url}  (Ctrl+C to stop; on-demand worker log: $data/serve.log)"
if [ -f "$data/demo-admin.txt" ]; then
  echo "Sign in as $(sed -n 's/^user: //p' "$data/demo-admin.txt") with the password in $data/demo-admin.txt:  cat $data/demo-admin.txt"
fi
echo
dotnet src/AttributionExplorer.Web/bin/Release/net10.0/AttributionExplorer.Web.dll --urls "$url"
