#!/usr/bin/env bash
# Runs EventRuntime's whole test suite on a Debian 12 machine, as root: prepares the machine
# (infra/ci/setup.sh), builds, runs every test project against real runc, real overlay mounts and a
# real RabbitMQ (Testcontainers), and ends with one line: "tests: N passed, N failed[, N skipped]".
# Exits non-zero when anything failed, or when the integration tests did not run.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

bash infra/ci/setup.sh || { echo "tests: 0 passed, 1 failed (machine setup failed)"; exit 1; }
. infra/ci/env.sh

results="$repo/.artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
# The fault tests write their figures here; docs/reliability.md is made from them below.
export EVENTRUNTIME_REPORT_DIR="$repo/.artifacts/reliability"
rm -rf "$EVENTRUNTIME_REPORT_DIR"

if ! dotnet build EventRuntime.sln -c Release -warnaserror -nologo -v quiet; then
  echo "tests: 0 passed, 1 failed (build failed)"
  exit 1
fi

status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 15m
  code=$?
  # A hung test that the blame collector ends is not counted as failed in the .trx: the exit code is kept
  # so that the summary counts it.
  echo "$code" > "$results/$name.exit"
  [ "$code" -eq 0 ] || status=1
done

# Every test cleans up its containers and mounts; anything left behind is a defect.
leftovers=$(awk '{print $5}' /proc/self/mountinfo | grep -E '/eventruntime-test-' || true)
if [ -n "$leftovers" ]; then
  echo "problem: mounts left behind by the tests:"; echo "$leftovers"
  status=1
fi

bash infra/ci/reliability-report.sh "$EVENTRUNTIME_REPORT_DIR" docs/reliability.md || true
bash infra/ci/summarize-trx.sh "$results" || status=1
exit $status
