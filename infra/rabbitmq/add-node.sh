#!/bin/sh
# Provisions one node on the broker: its user "node-<node>" with the least-privilege permissions of
# infra/rabbitmq/definitions.json (its own queues and the outcome exchanges, nothing else), and its
# command queue bound to its exchange, so commands sent before the agent's first start are kept.
#   usage: add-node.sh NODE [PASSWORD]     (a random password is made and printed when none is given)
# Runs rabbitmqctl on this machine; RABBITMQCTL="docker exec -i NAME rabbitmqctl" points it elsewhere.
# QUEUE_TYPE=quorum declares the command queue as a quorum queue, for a cluster whose agents run with
# RabbitMq:QueueType=Quorum (the default, classic, matches the agent's default): a queue cannot change type later.
set -eu
node="${1:?usage: add-node.sh NODE [PASSWORD]}"
password="${2:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"
vhost="${VHOST:-eventruntime}"
ctl="${RABBITMQCTL:-rabbitmqctl}"
case "${QUEUE_TYPE:-classic}" in
  classic) queue_arguments='{}' ;;
  quorum) queue_arguments='{"x-queue-type":"quorum"}' ;;
  *) echo "add-node.sh: QUEUE_TYPE \"$QUEUE_TYPE\" must be classic or quorum (the agents' RabbitMq:QueueType)" >&2; exit 2 ;;
esac

case "$node" in
  [A-Za-z0-9]*) ;;
  *) echo "add-node.sh: node name \"$node\" must match [A-Za-z0-9][A-Za-z0-9_.-]*" >&2; exit 2 ;;
esac
if [ -n "$(printf '%s' "$node" | tr -d 'A-Za-z0-9_.-')" ]; then
  echo "add-node.sh: node name \"$node\" must match [A-Za-z0-9][A-Za-z0-9_.-]*" >&2; exit 2
fi

case "$node" in
  *_error|*_skipped|*_fleet)
    echo "add-node.sh: node name \"$node\" must not end in _error, _skipped or _fleet: eventruntime-node-$node is another node's error, skipped or fleet queue" >&2; exit 2 ;;
esac

escaped="$(printf '%s' "$node" | sed 's/\./\\./g')"
own="eventruntime-node-$escaped(_fleet)?(_error|_skipped)?"
outcomes='EventRuntime\.Contracts:(ContainerStopped|ContainerStopFailed|ContainerStopping|ContainerExited|CommandStatus|NodeHeartbeat|NodeContainers|NodePresence)'
# The fleet questions (ert ps, ert nodes): the node binds its _fleet queue to their fanout exchanges, and reads nothing else.
questions='EventRuntime\.Contracts:(ListContainers|PingNodes)'
user="node-$node"
queue="eventruntime-node-$node"

if $ctl -q list_users --no-table-headers | cut -f1 | grep -qx "$user"; then
  $ctl -q change_password "$user" "$password"
else
  $ctl -q add_user "$user" "$password"
fi
$ctl -q set_permissions -p "$vhost" "$user" "^($own|$outcomes|$questions)\$" "^($own|$outcomes)\$" "^($own|$questions)\$"

# Same arguments as the agent declares them (durable; x-queue-type only for quorum), so the agent's own declare agrees.
definitions="$(mktemp)"
trap 'rm -f "$definitions"' EXIT
cat > "$definitions" <<JSON
{"exchanges":[{"name":"$queue","vhost":"$vhost","type":"fanout","durable":true,"auto_delete":false,"internal":false,"arguments":{}}],
 "queues":[{"name":"$queue","vhost":"$vhost","durable":true,"auto_delete":false,"arguments":$queue_arguments}],
 "bindings":[{"source":"$queue","vhost":"$vhost","destination":"$queue","destination_type":"queue","routing_key":"","arguments":{}}]}
JSON
# On stdin, so that a rabbitmqctl in a container (RABBITMQCTL="docker exec -i NAME rabbitmqctl") reads it too.
$ctl -q import_definitions < "$definitions" >/dev/null
echo "node $node: user $user, queue $queue on vhost $vhost$([ "${QUEUE_TYPE:-classic}" = quorum ] && echo ', a quorum queue')"
[ -n "${2:-}" ] || echo "password: $password"
