#!/usr/bin/env bash
# The demo, on a fresh Debian 12 machine as root: a local RabbitMQ (Debian's rabbitmq-server on
# loopback), one node agent, four real runc containers on overlay roots, and StopContainer commands
# sent through the bus. Prints each outcome with its latency, then cleans up (KEEP=1 leaves the
# broker and the agent running for a look around: rabbitmqadmin, docs/wire-contract.md).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
. "$repo/infra/lib.sh"
demo=/var/tmp/eventruntime-demo
node=demo
runc_root=/run/eventruntime-demo/runc
# Least-privilege users from infra/rabbitmq/definitions.json (development passwords; see docs/security.md).
agent_url=amqp://node-demo:node-demo-dev-pw@127.0.0.1:5672/eventruntime
url=amqp://control-plane:control-plane-dev-pw@127.0.0.1:5672/eventruntime
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== installing runc, conmon, runsc, busybox-static, rabbitmq-server (when missing)"
ensure_packages runc conmon runsc busybox-static rabbitmq-server procps

echo "== starting RabbitMQ on 127.0.0.1:5672 (management on 127.0.0.1:15672, Prometheus metrics on 127.0.0.1:15692) as rabbit@localhost"
bash "$repo/infra/rabbitmq/local-broker.sh" start

echo "== building"
dotnet build "$repo/src/EventRuntime.Node" -c Release -nologo -v quiet -clp:NoSummary
dotnet build "$repo/src/EventRuntime.Demo" -c Release -nologo -v quiet -clp:NoSummary
bin="$repo/src/EventRuntime.Node/bin/Release/net10.0/eventruntime-node"
client="$repo/src/EventRuntime.Demo/bin/Release/net10.0/eventruntime-demo"
nodecli=("$bin" --node "$node" --state-dir "$demo/state" --runtime-root "$runc_root")

cleanup() {
  [ -n "${agent_pid:-}" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null
  for id in web stubborn frozen thawed; do "${nodecli[@]:0:1}" delete "$id" "${nodecli[@]:1}" >/dev/null 2>&1 || true; done
  bash "$repo/infra/rabbitmq/local-broker.sh" stop >/dev/null 2>&1 || true
}
if [ "${KEEP:-0}" != 1 ]; then trap cleanup EXIT; fi

echo "== a busybox root for the containers"
for id in web stubborn frozen thawed; do "$bin" delete "$id" "${nodecli[@]:1}" >/dev/null 2>&1 || true; done
mkdir -p "$demo/rootfs/bin" "$demo/rootfs/proc" "$demo/rootfs/dev" "$demo/rootfs/sys" "$demo/rootfs/tmp"
cp /bin/busybox "$demo/rootfs/bin/busybox"
for applet in sh sleep true; do ln -sf busybox "$demo/rootfs/bin/$applet"; done

echo "== starting the node agent for node '$node'"
EVENTRUNTIME_RabbitMq__Url="$agent_url" "${nodecli[@]}" >"$demo/agent.log" 2>&1 &
agent_pid=$!

echo "== creating containers"
traps_term=(/bin/sh -c "trap 'exit 0' TERM; while true; do sleep 1 & wait \$!; done")
"$bin" create web      --rootfs "$demo/rootfs" "${nodecli[@]:1}" -- "${traps_term[@]}"
"$bin" create stubborn --rootfs "$demo/rootfs" "${nodecli[@]:1}" -- /bin/sleep 100000
"$bin" create frozen   --rootfs "$demo/rootfs" "${nodecli[@]:1}" -- "${traps_term[@]}"
"$bin" create thawed   --rootfs "$demo/rootfs" "${nodecli[@]:1}" -- "${traps_term[@]}"
runc --root "$runc_root" pause frozen
runc --root "$runc_root" pause thawed
"$bin" list "${nodecli[@]:1}"

echo "== stopping them through the bus (web traps TERM; stubborn ignores it; frozen and thawed are paused; ghost does not exist)"
"$client" "$url" "$node" web:10 stubborn:2 frozen:10 thawed:10:resume ghost:5

echo "== after"
"$bin" list "${nodecli[@]:1}"
echo "agent log: $demo/agent.log"
