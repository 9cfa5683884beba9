#!/usr/bin/env bash
# Installs the node agent as a systemd service on this host (as root):
#   /opt/eventruntime/node/            the published agent (self-contained: no .NET needed on the host)
#   /etc/systemd/system/eventruntime-node.service
#   /etc/eventruntime/node.env         settings (kept when present; see docs/configuration.md)
# Then enables and starts the service when systemd runs. ROOT=/some/dir installs below that directory
# instead (for packaging and tests); systemctl is then not called.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${ROOT:-}"
node_name="${NODE_NAME:-$(hostname -s)}"
broker_url="${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/}"

. "$repo/infra/lib.sh"
[ -z "$root" ] && ensure_packages runc

echo "publishing the agent to $root/opt/eventruntime/node"
dotnet publish "$repo/src/EventRuntime.Node" -c Release -r linux-x64 --self-contained true -nologo -v quiet \
  -o "$root/opt/eventruntime/node"
cp "$repo/README.md" "$root/opt/eventruntime/node/README.md"

install -D -m 0644 "$repo/infra/systemd/eventruntime-node.service" "$root/etc/systemd/system/eventruntime-node.service"
if [ ! -f "$root/etc/eventruntime/node.env" ]; then
  install -d -m 0750 "$root/etc/eventruntime"
  umask 077
  cat > "$root/etc/eventruntime/node.env" <<ENV
# EventRuntime node agent settings (docs/configuration.md). Holds the broker password: keep it 0600.
EVENTRUNTIME_Node__Name=$node_name
EVENTRUNTIME_RabbitMq__Url=$broker_url
#EVENTRUNTIME_Logging__SeqUrl=http://127.0.0.1:5341
#EVENTRUNTIME_Health__Port=8089
ENV
fi

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now eventruntime-node.service
  systemctl --no-pager status eventruntime-node.service | head -n 5
else
  echo "installed below ${root:-/}; systemd is not running here, so the service was not started"
fi
