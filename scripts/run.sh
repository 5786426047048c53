#!/usr/bin/env bash
# `make run`: one command from a fresh clone to a running server with demo data.
# scripts/services.sh (shared with `make test`) makes PostgreSQL and Redis
# answer first, installing them with apt-get when run as root on a machine
# without them, or saying exactly what to run otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable}"
bash scripts/services.sh --redis
# Use the local Redis when there is one, as production would; without it the
# server runs as a single instance and says so.
if [ -z "${REDIS_URL:-}" ] && timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6379' 2>/dev/null; then
  export REDIS_URL="redis://127.0.0.1:6379/0"
fi
./bin/alojamientos migrate
./bin/alojamientos seed --demo
addr="${ADDR:-:8080}"
echo
echo "Alojamientos on http://localhost:${addr##*:}  (Ctrl-C stops it)"
echo
export AUTO_MIGRATE=1
exec ./bin/alojamientos serve
