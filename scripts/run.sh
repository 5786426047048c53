#!/usr/bin/env bash
# `make run`: one command from a fresh clone to a running server with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable}"
# Use the local Redis when there is one, as production would; without it the
# server runs as a single instance and says so.
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
  export REDIS_URL="redis://127.0.0.1:6379/0"
fi
flags=()
[ -n "${REDIS_URL:-}" ] && flags+=(--redis)
bash scripts/services.sh "${flags[@]}"
./bin/alojamientos migrate
./bin/alojamientos seed --demo
addr="${ADDR:-:8080}"
echo
echo "Alojamientos on http://localhost:${addr##*:}  (Ctrl-C stops it)"
echo
export AUTO_MIGRATE=1
exec ./bin/alojamientos serve
