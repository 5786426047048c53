#!/usr/bin/env bash
# Makes the local PostgreSQL (and, when asked, Redis and chromium) usable for
# `make run` and `make test` on a fresh Debian machine.
#
#   scripts/services.sh [--no-createdb] [--redis] [--chromium] [--promtool]
#
#   DATABASE_URL   default postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable
#   REDIS_URL      when set, Redis is required (as with --redis, but a failure is fatal)
#
#   --no-createdb  do not create the database named in DATABASE_URL
#   --redis        make Redis at 127.0.0.1:6379 (or REDIS_URL) available if possible;
#                  without REDIS_URL, a missing Redis is only a warning
#   --chromium     install Debian's chromium (for browser tests) when missing
#   --promtool     install Debian's prometheus (its promtool checks deploy/prometheus) when missing
#
# Quiet on success except one line per action taken. Exits 1 with a message
# saying what to install or set when something cannot be had.
set -euo pipefail

prog=services
say() { printf '%s: %s\n' "$prog" "$*"; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

createdb_wanted=1
redis_wanted=0
chromium_wanted=0
promtool_wanted=0
for arg in "$@"; do
	case "$arg" in
	--no-createdb) createdb_wanted=0 ;;
	--redis) redis_wanted=1 ;;
	--chromium) chromium_wanted=1 ;;
	--promtool) promtool_wanted=1 ;;
	-h | --help)
		sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		printf '%s: unknown argument %q (try --help)\n' "$prog" "$arg" >&2
		exit 2
		;;
	esac
done

have() { command -v "$1" >/dev/null 2>&1; }

# urldecode turns %XX escapes back into bytes (passwords in URLs are escaped).
urldecode() {
	local s=$1
	printf '%b' "${s//%/\\x}"
}

# parse_url URL DEFAULT_PORT sets url_user, url_pass, url_host, url_port,
# url_path and url_query from scheme://[user[:pass]@]host[:port][/path][?query].
parse_url() {
	local rest=${1#*://} authority hostport userinfo
	url_query=
	if [[ $rest == *\?* ]]; then
		url_query=${rest#*\?}
		rest=${rest%%\?*}
	fi
	authority=${rest%%/*}
	url_path=
	if [[ $rest == */* ]]; then
		url_path=${rest#*/}
	fi
	url_user=''
	url_pass=''
	hostport=$authority
	if [[ $authority == *@* ]]; then
		userinfo=${authority%@*}
		hostport=${authority##*@}
		url_user=$(urldecode "${userinfo%%:*}")
		if [[ $userinfo == *:* ]]; then
			url_pass=$(urldecode "${userinfo#*:}")
		fi
	fi
	url_port=$2
	if [[ $hostport == \[* ]]; then # [IPv6]:port
		url_host=${hostport#\[}
		url_host=${url_host%%\]*}
		if [[ $hostport == *\]:* ]]; then
			url_port=${hostport##*\]:}
		fi
	elif [[ $hostport == *:* ]]; then
		url_host=${hostport%:*}
		url_port=${hostport##*:}
	else
		url_host=$hostport
	fi
	[[ -n $url_port ]] || url_port=$2
	url_host=${url_host:-127.0.0.1}
}

# query_param NAME prints NAME's value from url_query, if any.
query_param() {
	local kv
	local IFS='&'
	for kv in $url_query; do
		if [[ ${kv%%=*} == "$1" ]]; then
			urldecode "${kv#*=}"
			return 0
		fi
	done
}

is_local() {
	case "$1" in
	127.0.0.1 | localhost | ::1) return 0 ;;
	*) return 1 ;;
	esac
}

# tcp_open HOST PORT succeeds when something accepts connections there.
tcp_open() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

# ---------------------------------------------------------------- PostgreSQL

database_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable}
parse_url "$database_url" 5432
pg_host=$url_host
pg_port=$url_port
pg_user=${url_user:-$(id -un)}
pg_db=$(urldecode "${url_path:-$pg_user}")
if [[ -n $url_pass ]]; then
	export PGPASSWORD=$url_pass
fi
sslmode=$(query_param sslmode)
if [[ -n $sslmode ]]; then
	export PGSSLMODE=$sslmode
fi

pg_ready() {
	if have pg_isready; then
		pg_isready -q -t 2 -h "$pg_host" -p "$pg_port" >/dev/null 2>&1
	else
		tcp_open "$pg_host" "$pg_port"
	fi
}

pg_missing() {
	die "PostgreSQL >= 15 with btree_gist is required at $pg_host:$pg_port ($1): on Debian/Ubuntu" \
		"\`sudo apt-get install postgresql postgresql-contrib\` (and start it: \`sudo service postgresql start\`)," \
		"or set DATABASE_URL to a reachable server"
}

start_postgres() {
	local version out
	if have pg_ctlcluster && [[ -d /etc/postgresql ]]; then
		# shellcheck disable=SC2012 # version directories: 13, 15, 16…
		version=$(ls /etc/postgresql | sort -V | tail -1)
		if [[ -n $version ]]; then
			if out=$(pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1); then
				say "started PostgreSQL $version/main"
				return 0
			fi
			if [[ $out == *"already running"* ]]; then
				local port
				port=$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
				warn "PostgreSQL $version/main is already running (port ${port:-?}) but does not answer at" \
					"$pg_host:$pg_port: check DATABASE_URL's host and port"
			else
				warn "pg_ctlcluster $version main start failed: $out"
			fi
			return 1
		fi
	fi
	if have service; then
		if out=$(service postgresql start 2>&1); then
			say "started PostgreSQL (service postgresql start)"
			return 0
		fi
		warn "service postgresql start failed: $out"
	fi
	return 1
}

if ! pg_ready; then
	if ! is_local "$pg_host"; then
		pg_missing "not reachable"
	fi
	# Wait when it was started, or when something already answers on the port
	# (a server still starting up rejects connections for a while).
	if start_postgres || tcp_open "$pg_host" "$pg_port"; then
		for _ in $(seq 40); do
			pg_ready && break
			sleep 0.5
		done
	fi
	pg_ready || pg_missing "not reachable, and it could not be started here"
fi

have psql || die "psql is required to check the database: on Debian/Ubuntu \`sudo apt-get install postgresql-client\`"

# pgq DB SQL runs one query and prints the unaligned result.
pgq() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$1" -tAc "$2"
}

# The maintenance database, for the checks that do not need ours. A role that
# may not connect to "postgres" can still check from its own database.
maint_db=postgres
if ! err=$(pgq "$maint_db" 'SELECT 1' 2>&1); then
	if ! err2=$(pgq "$pg_db" 'SELECT 1' 2>&1); then
		die "cannot connect to PostgreSQL at $pg_host:$pg_port as $pg_user: ${err:-$err2}"
	fi
	maint_db=$pg_db
fi

server_version=$(pgq "$maint_db" 'SHOW server_version_num')
if ((server_version < 150000)); then
	die "PostgreSQL >= 15 is required, $pg_host:$pg_port runs $(pgq "$maint_db" 'SHOW server_version'):" \
		"install a newer one or set DATABASE_URL to another server"
fi

if [[ -z $(pgq "$maint_db" "SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gist'") ]]; then
	die "the btree_gist extension is not available on $pg_host:$pg_port: on Debian/Ubuntu" \
		"\`sudo apt-get install postgresql-contrib\` (for the server's major version)"
fi

if ((createdb_wanted)); then
	exists=$(pgq "$maint_db" "SELECT 1 FROM pg_database WHERE datname = '${pg_db//\'/\'\'}'")
	if [[ -z $exists ]]; then
		have createdb || die "createdb is required: on Debian/Ubuntu \`sudo apt-get install postgresql-client\`"
		if ! err=$(createdb -h "$pg_host" -p "$pg_port" -U "$pg_user" "$pg_db" 2>&1); then
			die "cannot create database $pg_db as $pg_user: $err"
		fi
		say "created database $pg_db"
	fi
fi

# --------------------------------------------------------------------- Redis

redis_ping() {
	local reply
	if have redis-cli; then
		reply=$(timeout 3 redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null) || return 1
	else
		# Speak RESP by hand: an AUTH error still proves a Redis is there.
		# shellcheck disable=SC2016 # expanded by the inner bash
		reply=$(timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2" && printf "PING\r\n" >&3 && IFS= read -r line <&3 && printf "%s" "$line"' \
			_ "$redis_host" "$redis_port" 2>/dev/null) || return 1
		reply=${reply#+}
		reply=${reply%$'\r'}
	fi
	case "$reply" in
	PONG | *NOAUTH* | *WRONGPASS*) return 0 ;;
	*) return 1 ;;
	esac
}

start_redis() {
	local dir=/var/lib/redis logfile=/var/log/redis/ci.log out
	have redis-server || return 1
	mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
	if [[ ! -w /var/lib/redis || ! -w /var/log/redis ]]; then
		dir=/tmp
		logfile=/tmp/redis-ci.log
	fi
	if ! out=$(redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" \
		--save "" --appendonly no --dir "$dir" --logfile "$logfile" 2>&1); then
		warn "redis-server failed to start: $out"
		return 1
	fi
	for _ in $(seq 20); do
		if redis_ping; then
			say "started Redis on 127.0.0.1:$redis_port (log $logfile)"
			return 0
		fi
		sleep 0.5
	done
	warn "redis-server did not answer on 127.0.0.1:$redis_port within 10 s (see $logfile)"
	return 1
}

if [[ -n ${REDIS_URL:-} ]] || ((redis_wanted)); then
	redis_host=127.0.0.1
	redis_port=6379
	if [[ -n ${REDIS_URL:-} ]]; then
		parse_url "$REDIS_URL" 6379
		redis_host=$url_host
		redis_port=$url_port
		if [[ -n $url_pass ]]; then
			export REDISCLI_AUTH=$url_pass
		fi
	fi
	if ! redis_ping; then
		if ! { is_local "$redis_host" && start_redis; }; then
			if [[ -n ${REDIS_URL:-} ]]; then
				die "Redis is not reachable at $redis_host:$redis_port but REDIS_URL is set: on Debian/Ubuntu" \
					"\`sudo apt-get install redis-server\`, or set REDIS_URL to a reachable server, or unset it" \
					"to run as a single instance without Redis"
			fi
			warn "Redis is not reachable at $redis_host:$redis_port; continuing without it" \
				"(to have it: \`sudo apt-get install redis-server\`)"
		fi
	fi
fi

# ------------------------------------------------------------------ chromium

if ((chromium_wanted)) && [[ ! -x /usr/bin/chromium ]]; then
	if [[ $(id -u) -ne 0 ]]; then
		die "chromium is required for the browser tests: run" \
			"\`sudo apt-get update && sudo apt-get install -y chromium\`"
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	say "installed chromium"
fi

# An independent iCalendar implementation reads our export feed in the ical
# tests (skipped only where python3 is absent).
if ((chromium_wanted)) && ! /usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1; then
	if [[ $(id -u) -ne 0 ]]; then
		warn "python3-icalendar is missing (the ical export test needs it):" \
			"\`sudo apt-get install -y python3-icalendar\`"
	else
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-icalendar >/dev/null
		say "installed python3-icalendar"
	fi
fi

# ------------------------------------------------------------------ promtool

# The deploy tests run `promtool check config|rules` and `promtool test rules`
# on deploy/prometheus. Only promtool is needed: where systemd runs, the
# package also starts a Prometheus (`systemctl disable --now prometheus`).
if ((promtool_wanted)) && ! have promtool; then
	if [[ $(id -u) -ne 0 ]]; then
		die "promtool is required for the monitoring tests: run" \
			"\`sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus\`"
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
	say "installed promtool (Debian's prometheus)"
fi
