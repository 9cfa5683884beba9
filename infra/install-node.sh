#!/usr/bin/env bash
# Installs the node agent as a systemd service on this host (as root):
#   /opt/eventruntime/node/            eventruntime-node as published by infra/package/publish-node.sh: a native
#                                      front, the agent in host/ (self-contained: no .NET needed on the host)
#   /etc/systemd/system/eventruntime-node.service
#   /etc/eventruntime/node.env         settings (kept when present; see docs/configuration.md)
#   /etc/eventruntime/credentials/broker-password   the broker password (0600, kept when present), handed to
#                                      the agent by systemd's LoadCredential=, never through the environment
# Then enables and starts the service when systemd runs. ROOT=/some/dir installs below that directory
# instead (for packaging and tests); systemctl is then not called.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
root="${ROOT:-}"
node_name="${NODE_NAME:-$(hostname -s)}"
broker_url="${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672/}"
# The password leaves the URL for the credential file: RABBITMQ_PASSWORD, else the one RABBITMQ_URL carries.
if [[ "$broker_url" =~ ^(amqps?://[^:/@]+):([^@]*)@(.*)$ ]]; then
  broker_url="${BASH_REMATCH[1]}@${BASH_REMATCH[3]}"
  broker_password="${RABBITMQ_PASSWORD:-${BASH_REMATCH[2]}}"
else
  broker_password="${RABBITMQ_PASSWORD:-}"
fi

. "$repo/infra/lib.sh"
# conmon monitors every container (exit codes, logs); runsc is the sandboxed runtime a container may choose.
[ -z "$root" ] && ensure_packages runc conmon runsc

echo "publishing the agent to $root/opt/eventruntime/node"
bash "$repo/infra/package/publish-node.sh" "$root/opt/eventruntime/node"
cp "$repo/README.md" "$root/opt/eventruntime/node/README.md"

install -D -m 0644 "$repo/infra/systemd/eventruntime-node.service" "$root/etc/systemd/system/eventruntime-node.service"
if [ ! -f "$root/etc/eventruntime/node.env" ]; then
  install -d -m 0750 "$root/etc/eventruntime"
  umask 077
  cat > "$root/etc/eventruntime/node.env" <<ENV
# EventRuntime node agent settings (docs/configuration.md). The broker password is not here: systemd hands
# /etc/eventruntime/credentials/broker-password to the agent (LoadCredential= in the unit).
EVENTRUNTIME_Node__Name=$node_name
EVENTRUNTIME_RabbitMq__Url=$broker_url
#EVENTRUNTIME_Logging__SeqUrl=http://127.0.0.1:5341
#EVENTRUNTIME_Health__Port=8089
ENV
fi

if [ ! -f "$root/etc/eventruntime/credentials/broker-password" ]; then
  install -d -m 0700 "$root/etc/eventruntime/credentials"
  [ -n "$broker_password" ] || { echo "install-node: no broker password: set RABBITMQ_PASSWORD (or put it in RABBITMQ_URL)" >&2; exit 1; }
  (umask 077; printf '%s\n' "$broker_password" > "$root/etc/eventruntime/credentials/broker-password")
fi

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now eventruntime-node.service
  systemctl --no-pager status eventruntime-node.service | head -n 5
else
  echo "installed below ${root:-/}; systemd is not running here, so the service was not started"
fi
