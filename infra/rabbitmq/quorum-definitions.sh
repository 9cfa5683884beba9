#!/bin/sh
# Writes infra/rabbitmq/definitions-quorum.json: infra/rabbitmq/definitions.json with every queue declared as a
# quorum queue (the roster stream stays a stream: streams are replicated already), for a cluster whose agents run
# with RabbitMq:QueueType=Quorum (docker-compose.yml's cluster profile loads it). The broker refuses to redeclare a queue with another type, so definitions and agents agree.
# Run it after changing definitions.json; ClusterDefinitionsTests fails while the two differ otherwise.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
jq --indent 2 '.queues |= map(if .arguments["x-queue-type"] == "stream" then . else .arguments["x-queue-type"] = "quorum" end)' "$here/definitions.json" > "$here/definitions-quorum.json"
