#!/usr/bin/env bash
# Runs the benchmarks on this machine (Debian 12, as root) and writes docs/benchmarks.md:
#   bash infra/bench/run.sh                 every scenario at full size
#   bash infra/bench/run.sh latency --stops 20
# Installs what the baselines need (podman for `podman stop`), prepares the machine like the tests do,
# and builds in Release. Run it on an otherwise idle machine: the figures are ratios measured in one run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
bash infra/ci/setup.sh
. infra/ci/env.sh
. infra/lib.sh
ensure_packages podman
dotnet build bench/EventRuntime.Bench -c Release -nologo -v quiet -clp:NoSummary
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(all)
out=()
[ "${args[0]}" = all ] && out=(--out "$repo/docs/benchmarks.md")
exec bench/EventRuntime.Bench/bin/Release/net10.0/eventruntime-bench "${args[@]}" "${out[@]}"
