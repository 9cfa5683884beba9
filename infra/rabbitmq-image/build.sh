#!/usr/bin/env bash
# Builds the local RabbitMQ image that the integration tests start through Testcontainers.
# No image registry is reachable here, so the image is made from Debian's own rabbitmq-server
# package: debootstrap a minimal root, add the entrypoint, `docker import`. The image is cached
# by tag and rebuilt only when missing (or when FORCE=1).
set -euo pipefail
image="${1:-${EVENTRUNTIME_RABBITMQ_IMAGE:-eventruntime/rabbitmq:3.10-local}}"
here="$(cd "$(dirname "$0")" && pwd)"

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$image" >/dev/null 2>&1; then
  echo "rabbitmq image $image: present, reused"
  exit 0
fi

mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"
root="$(mktemp -d /var/tmp/eventruntime-rabbitmq-root.XXXXXX)"
trap 'rm -rf "$root"' EXIT

echo "rabbitmq image $image: debootstrap from $mirror (about 2 minutes)"
debootstrap --variant=minbase --include=rabbitmq-server bookworm "$root" "$mirror" >"$root.log" 2>&1 \
  || { tail -n 30 "$root.log"; echo "debootstrap failed" >&2; exit 1; }
rm -f "$root.log"
install -m 0755 "$here/entrypoint.sh" "$root/usr/local/bin/eventruntime-rabbitmq-entrypoint"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

tar -C "$root" -c . | docker import \
  --change 'ENV RABBITMQ_LOGS=-' \
  --change 'ENV HOME=/var/lib/rabbitmq' \
  --change 'EXPOSE 5672' \
  --change 'CMD ["/usr/local/bin/eventruntime-rabbitmq-entrypoint"]' \
  - "$image" >/dev/null
echo "rabbitmq image $image: built"
