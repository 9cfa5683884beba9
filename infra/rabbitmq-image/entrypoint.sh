#!/bin/sh
# Entrypoint of the local RabbitMQ test image (built by infra/rabbitmq-image/build.sh).
# It plays the part of the official image's entrypoint: default user and password come
# from the environment, and guest-style users may connect from outside the container.
set -e
user="${RABBITMQ_DEFAULT_USER:-guest}"
pass="${RABBITMQ_DEFAULT_PASS:-guest}"
mkdir -p /etc/rabbitmq
cat > /etc/rabbitmq/rabbitmq.conf <<CONF
loopback_users = none
default_user = $user
default_pass = $pass
listeners.tcp.default = 5672
CONF
if [ -n "${RABBITMQ_ENABLED_PLUGINS:-}" ]; then
  echo "[${RABBITMQ_ENABLED_PLUGINS}]." > /etc/rabbitmq/enabled_plugins
fi
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq 2>/dev/null || true
exec /usr/sbin/rabbitmq-server
