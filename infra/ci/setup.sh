#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine (as root) for EventRuntime's tests and demo:
# installs runc, conmon (the per-container monitor, as CRI-O and podman run it), gVisor's runsc,
# busybox, docker, debootstrap, rabbitmq-server, openssl (the TLS tests make their certificates
# with it), gcc with the C library's headers (native AOT links eventruntime-node's front with them) and podman
# (the benchmarks' baselines, which BenchSmokeTests runs), starts dockerd bound to loopback, and builds the local RabbitMQ
# image. Safe to run again: each step checks first.
# Source infra/ci/env.sh afterwards for the variables Testcontainers needs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/env.sh"

. "$here/../lib.sh"
ensure_packages runc conmon runsc busybox-static docker.io docker-compose debootstrap rabbitmq-server iproute2 procps systemd openssl prometheus gcc libc6-dev podman

if ! "$DOCKER" info >/dev/null 2>&1; then
  echo "setup: starting dockerd (loopback only)"
  setsid nohup dockerd --ip=127.0.0.1 >/var/log/eventruntime-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -n 30 /var/log/eventruntime-dockerd.log; echo "dockerd did not start" >&2; exit 1; }
fi

PATH="$(dirname "$DOCKER"):$PATH" "$here/../rabbitmq-image/build.sh" "$EVENTRUNTIME_RABBITMQ_IMAGE"

for tool in runc conmon runsc busybox podman; do
  command -v "$tool" >/dev/null || { echo "setup: $tool missing after install" >&2; exit 1; }
done
echo "setup: ready (runc $(runc --version | awk 'NR==1{print $3}'), conmon $(conmon --version | awk 'NR==1{print $3}'), runsc $(runsc --version | awk 'NR==1{print $3}'), docker server $("$DOCKER" version -f '{{.Server.Version}}'))"
