#!/usr/bin/env bash
# The demo's broker: Debian's rabbitmq-server as node rabbit@localhost, listening on 127.0.0.1 only
# (AMQP 5672, management 15672, Prometheus metrics 15692), with the broker definitions of infra/rabbitmq/definitions.json.
#   usage: local-broker.sh start|stop|status
# The node name and addresses go into /etc/rabbitmq/rabbitmq-env.conf, which rabbitmq-server and every
# rabbitmqctl on this machine read: a plain `rabbitmqctl` (and so infra/rabbitmq/add-node.sh) talks to it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
log=/var/log/eventruntime-demo-rabbitmq.log

configure() {
  mkdir -p /etc/rabbitmq
  install -m 0644 "$here/definitions.json" /etc/rabbitmq/eventruntime-definitions.json
  printf '%s\n' 'management.tcp.ip = 127.0.0.1' 'prometheus.tcp.ip = 127.0.0.1' \
    'load_definitions = /etc/rabbitmq/eventruntime-definitions.json' 'consumer_timeout = 1800000' > /etc/rabbitmq/rabbitmq.conf
  # The management UI, and rabbitmq_prometheus (port 15692) for infra/prometheus/prometheus.yml.
  install -m 0644 "$here/enabled_plugins" /etc/rabbitmq/enabled_plugins
  cat > /etc/rabbitmq/rabbitmq-env.conf <<'CONF'
# Written by eventruntime infra/rabbitmq/local-broker.sh: one local node, on loopback only.
NODENAME=rabbit@localhost
NODE_IP_ADDRESS=127.0.0.1
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
}

running() { rabbitmqctl -q status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    configure
    if ! running; then
      nohup rabbitmq-server >"$log" 2>&1 &
    fi
    for _ in $(seq 1 120); do running && break; sleep 1; done
    rabbitmqctl -q await_startup --timeout 120 \
      || { tail -n 30 "$log"; echo "local-broker.sh: RabbitMQ did not start" >&2; exit 1; }
    ;;
  stop)
    if running; then rabbitmqctl -q stop; fi
    ;;
  status)
    running
    ;;
  *)
    echo "usage: local-broker.sh start|stop|status" >&2; exit 2 ;;
esac
