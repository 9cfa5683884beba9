#!/usr/bin/env bash
# Publishes eventruntime-node as it is installed, into OUT_DIR (linux-x64, self-contained, no .NET needed where it runs):
#   OUT_DIR/eventruntime-node   the native front (src/EventRuntime.Node.Native, native AOT): list, logs and help run
#                               in it; every other verb (agent, create, delete) execs the managed host below
#   OUT_DIR/host/               the managed eventruntime-node (src/EventRuntime.Node, ReadyToRun) and its appsettings.json
# Native AOT links with the C toolchain (gcc or clang, and the C library's headers), installed here when missing.
# Used by build-deb.sh, install-node.sh and the bench. Usage: infra/package/publish-node.sh OUT_DIR [dotnet publish args...]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:?usage: publish-node.sh OUT_DIR [dotnet publish args...]}"
shift
. "$repo/infra/lib.sh"
ensure_packages gcc libc6-dev
# One publish of these projects at a time from this checkout: two at once share obj/ (its linux-x64 intermediates) and
# break each other (ilc died of SIGBUS when the bench and the tests published together).
mkdir -p "$repo/.artifacts"
exec 9>"$repo/.artifacts/publish-node.lock"
flock 9
# 9>&-: the build servers a publish leaves running must not hold the lock after this script.
common=(-c Release -r linux-x64 -nologo -v quiet -p:DebugType=none "$@")
dotnet publish "$repo/src/EventRuntime.Node" --self-contained true "${common[@]}" -o "$out/host" 9>&-
dotnet publish "$repo/src/EventRuntime.Node.Native" "${common[@]}" -o "$out" 9>&-
