#!/usr/bin/env bash
# Runs the benchmarks on this machine (Debian 12, as root) and writes docs/benchmarks.md:
#   bash infra/bench/run.sh                 every scenario at full size
#   bash infra/bench/run.sh latency --stops 20
#   bash infra/bench/run.sh scale --agents 1000 --scale-containers 10000
#   bash infra/bench/run.sh scale --cluster     the same on a three-node RabbitMQ cluster with quorum queues
#   bash infra/bench/run.sh cli --runs 7      ert stop against podman stop, whole processes, paired
#   bash infra/bench/run.sh fleet             ert nodes and ert ps against 100 in-process agents
# A run of "all" rewrites docs/benchmarks.md; a run of some scenarios replaces only their sections in it.
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
out=(--out "$repo/docs/benchmarks.md")
[ "${args[0]}" = all ] || out+=(--merge)
case "${args[0]}" in
  cli|fleet|all)
    # The command lines as users install them (docs/operations.md, "Installing ert"): ert published ReadyToRun,
    # eventruntime-node as the package has it (its native front, the agent in host/).
    echo "bench: publishing ert (linux-x64, ReadyToRun) and eventruntime-node (native front, ReadyToRun host)" >&2
    dotnet publish src/EventRuntime.Cli -c Release -r linux-x64 -nologo -v quiet -p:DebugType=none -o "$repo/.artifacts/bench-cli/ert"
    rm -rf "$repo/.artifacts/bench-cli/node"
    bash infra/package/publish-node.sh "$repo/.artifacts/bench-cli/node" ;;
esac
# The scale scenario hosts a thousand agents in the bench process, three open files each (3,273 at the
# peak of a 1,000-agent run here): beyond the usual soft limit of 1024.
ulimit -n "$(ulimit -Hn)"
start=$SECONDS
status=0
bench/EventRuntime.Bench/bin/Release/net10.0/eventruntime-bench "${args[@]}" "${out[@]}" || status=$?
echo "bench: ${args[*]} took $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s (exit $status)" >&2
exit "$status"
