#!/usr/bin/env bash
# Builds everything, runs the demo precompute (generate → import → train → TRAK → SQLite; completed steps
# are skipped on later runs), then starts the web app and prints its URL.
set -euo pipefail
cd "$(dirname "$0")"
export AE_HOME="$PWD"
port="${PORT:-5080}"
./scripts/setup.sh
dotnet build AttributionExplorer.sln -c Release -nologo -clp:ErrorsOnly
dotnet precompute/AttributionExplorer.Worker/bin/Release/net10.0/precompute.dll demo
url="http://127.0.0.1:${port}"
echo
echo "AttributionExplorer is starting at ${url}  (Ctrl+C to stop)"
echo
exec dotnet src/AttributionExplorer.Web/bin/Release/net10.0/AttributionExplorer.Web.dll --urls "$url"
