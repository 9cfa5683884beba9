#!/usr/bin/env bash
# Builds the Debian package eventruntime-node_<version>_amd64.deb: eventruntime-node (a native front, the
# self-contained agent in host/ beside it: publish-node.sh) and `ert` (no .NET needed on the node), the systemd
# unit and a default settings file. Needs the .NET SDK, a C toolchain (publish-node.sh installs it) and dpkg-deb
# on the build machine only. Usage: infra/package/build-deb.sh [OUT_DIR]  (default: .artifacts/); VERSION= overrides
# the version (default 1.0.0+<commits>.g<commit>, so that a later commit sorts later).
# Installing and rolling it out: docs/operations.md.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mkdir -p "${1:-$repo/.artifacts}" && cd "${1:-$repo/.artifacts}" && pwd)"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
count="$(git -C "$repo" rev-list --count HEAD 2>/dev/null || echo 0)"
version="${VERSION:-1.0.0+$count.g$commit}"
root="$(mktemp -d /var/tmp/eventruntime-deb.XXXXXX)"
trap 'rm -rf "$root"' EXIT

publish() { # project output-dir
  dotnet publish "$repo/src/$1" -c Release -r linux-x64 --self-contained true -nologo -v quiet -p:DebugType=none -o "$root/$2"
}
echo "build-deb: publishing the agent and ert (self-contained, linux-x64)"
bash "$repo/infra/package/publish-node.sh" "$root/opt/eventruntime/node"
publish EventRuntime.Cli opt/eventruntime/ert
cp "$repo/README.md" "$root/opt/eventruntime/node/README.md"
install -d "$root/usr/bin"
ln -s /opt/eventruntime/ert/ert "$root/usr/bin/ert"
ln -s /opt/eventruntime/node/eventruntime-node "$root/usr/bin/eventruntime-node"
install -D -m 0644 "$repo/infra/systemd/eventruntime-node.service" "$root/lib/systemd/system/eventruntime-node.service"
install -D -m 0600 "$repo/infra/package/node.env" "$root/etc/eventruntime/node.env"
install -D -m 0644 "$repo/infra/grafana/eventruntime-fleet.json" "$root/usr/share/eventruntime/grafana/eventruntime-fleet.json"
install -d "$root/usr/share/eventruntime/prometheus"
cp -r "$repo/infra/prometheus/." "$root/usr/share/eventruntime/prometheus/"

install -d "$root/DEBIAN"
# .NET's own native needs (glibc, libstdc++, OpenSSL for HMAC and TLS, zlib); runc for the containers.
cat > "$root/DEBIAN/control" <<CONTROL
Package: eventruntime-node
Version: $version
Architecture: amd64
Maintainer: EventRuntime <eventruntime@localhost>
Depends: runc, libc6, libgcc-s1, libstdc++6, libssl3, zlib1g
Section: admin
Priority: optional
Installed-Size: $(du -sk "$root" | cut -f1)
Homepage: file:///opt/eventruntime/node/README.md
Description: EventRuntime node agent: stops containers on StopContainer commands from RabbitMQ
 The self-contained agent (eventruntime-node, run by systemd as eventruntime-node.service) and the
 operator's command line client (ert). Settings: /etc/eventruntime/node.env; the broker password:
 /etc/eventruntime/credentials/broker-password (docs/operations.md).
CONTROL
echo /etc/eventruntime/node.env > "$root/DEBIAN/conffiles"
install -m 0755 "$repo/infra/package/postinst" "$repo/infra/package/prerm" "$repo/infra/package/postrm" "$root/DEBIAN/"

deb="$out/eventruntime-node_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
