# Variables the test suite needs; sourced by infra/ci/setup.sh and infra/ci/test.sh.
# The Debian dockerd (20.10) speaks API 1.41; newer clients must be told so.
export DOCKER_API_VERSION=1.41
# The reaper image cannot be pulled here; every test disposes of its own containers.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export EVENTRUNTIME_RABBITMQ_IMAGE="${EVENTRUNTIME_RABBITMQ_IMAGE:-eventruntime/rabbitmq:3.10-local}"
# Debian's docker.io client matches its daemon; fall back to whatever docker is on PATH.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER="$(command -v docker || echo docker)"; fi
export DOCKER
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
