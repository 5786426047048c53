#!/usr/bin/env bash
# Makes the local PostgreSQL (and, when asked, Redis and chromium) usable for
# `make run` and `make test` on a fresh Debian machine: both call it.
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
# As root, what is missing on this machine is installed with apt-get (Debian's
# postgresql, postgresql-contrib and redis-server, started, PostgreSQL trusting
# connections from 127.0.0.1 and ::1 as development and CI expect); otherwise
# it stops and prints the exact commands to run. Quiet on success except one
# line per action taken. Exits 1 with a message saying what to install or set
# when something cannot be had. Nothing is done when everything answers.
#
# For its tests: SERVICES_UID stands in for `id -u` (pretend root or not).
set -euo pipefail

prog=services
say() { printf '%s: %s\n' "$prog" "$*"; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

args="$*"
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
		sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		printf '%s: unknown argument %q (try --help)\n' "$prog" "$arg" >&2
		exit 2
		;;
	esac
done

have() { command -v "$1" >/dev/null 2>&1; }

uid=${SERVICES_UID:-$(id -u)}
is_root() { [[ $uid == 0 ]]; }

# apt_install PKG... installs Debian packages, as root, without questions.
apt_updated=0
apt_install() {
	have apt-get || die "cannot install $*: apt-get not found (install them with this system's package manager)"
	if ((!apt_updated)); then
		apt-get update -qq >/dev/null || die "apt-get update failed"
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# sudo_rerun is the one command that does, as root, what this run could not.
sudo_rerun() {
	printf 'sudo bash %s%s' "$0" "${args:+ $args}"
}

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

# pg_installed: a server whose clusters this script can start (Debian's
# postgresql-common), or one installed some other way (pg_ctl on PATH).
pg_installed() { have pg_ctlcluster || have pg_ctl; }

# pg_not_installed stops a user who is not root with the exact commands.
pg_not_installed() {
	local pkgs="postgresql postgresql-contrib"
	if { ((redis_wanted)) || [[ -n ${REDIS_URL:-} ]]; } && ! have redis-server; then
		pkgs+=" redis-server"
	fi
	{
		printf '%s: PostgreSQL is not installed here and nothing answers at %s:%s.\n' "$prog" "$pg_host" "$pg_port"
		printf 'Run as root, this script installs Debian'"'"'s %s, starts them and trusts local\n' "$pkgs"
		printf 'connections; run it once that way:\n'
		printf '    %s\n' "$(sudo_rerun)"
		printf 'or do the same by hand (Debian/Ubuntu):\n'
		printf '    sudo apt-get update && sudo apt-get install -y %s\n' "$pkgs"
		printf '    sudo sed -i '"'"'1i host all all 127.0.0.1/32 trust\\nhost all all ::1/128 trust'"'"' /etc/postgresql/*/main/pg_hba.conf\n'
		printf '    sudo service postgresql restart\n'
		printf 'then run your command again (it starts Redis itself); or set DATABASE_URL to a reachable\n'
		printf 'PostgreSQL >= 15 with btree_gist.\n'
	} >&2
	exit 1
}

# install_postgres installs Debian's PostgreSQL with a cluster "main" that
# trusts connections from 127.0.0.1 and ::1 (the default DATABASE_URL has no
# password; development only, as in CI).
install_postgres() {
	local version hba
	apt_install postgresql postgresql-contrib
	have pg_ctlcluster || die "apt-get installed postgresql but pg_ctlcluster is still missing"
	# shellcheck disable=SC2012 # version directories: 15, 16…
	version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
	[[ -n $version ]] || die "apt-get installed postgresql but /usr/lib/postgresql is empty"
	if [[ ! -d /etc/postgresql/$version/main ]]; then
		pg_createcluster "$version" main >/dev/null || die "pg_createcluster $version main failed"
	fi
	hba=/etc/postgresql/$version/main/pg_hba.conf
	if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
		sed -i '1i # scripts/services.sh: development server, local connections trusted (as in CI)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
	fi
	# The package may have started the cluster before pg_hba.conf changed.
	pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1 || true
	say "installed PostgreSQL $version (apt-get install postgresql postgresql-contrib; $hba trusts 127.0.0.1 and ::1)"
}

if ! pg_ready; then
	if ! is_local "$pg_host"; then
		pg_missing "not reachable"
	fi
	if ! pg_installed; then
		is_root || pg_not_installed
		install_postgres
	fi
	# Wait when it was started, or when something already answers on the port
	# (a server still starting up rejects connections for a while; the package
	# may have started the one just installed).
	if tcp_open "$pg_host" "$pg_port" || start_postgres; then
		for _ in $(seq 40); do
			pg_ready && break
			sleep 0.5
		done
	fi
	pg_ready || pg_missing "not reachable, and it could not be started here"
fi

if ! have psql; then
	is_root || die "psql is required to check the database: on Debian/Ubuntu" \
		"\`sudo apt-get update && sudo apt-get install -y postgresql-client\`"
	apt_install postgresql-client
	say "installed postgresql-client"
fi

# pgq DB SQL runs one query and prints the unaligned result.
pgq() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$1" -tAc "$2"
}

# create_role makes the role of DATABASE_URL the way CI has it (a superuser:
# the tests create databases and the btree_gist extension), as root on this
# machine through the postgres user's local socket.
create_role() {
	local out
	if ! out=$(runuser -u postgres -- psql -X -q -p "$pg_port" -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE ROLE \"${pg_user//\"/\"\"}\" LOGIN SUPERUSER" 2>&1); then
		die "cannot create the PostgreSQL role $pg_user: $out"
	fi
	say "created PostgreSQL role $pg_user (superuser)"
}

# The maintenance database, for the checks that do not need ours. A role that
# may not connect to "postgres" can still check from its own database.
maint_db=postgres
if ! err=$(pgq "$maint_db" 'SELECT 1' 2>&1); then
	if [[ $err == *"role \"$pg_user\" does not exist"* ]] && is_root && is_local "$pg_host" && have runuser; then
		create_role
	fi
	if ! pgq "$maint_db" 'SELECT 1' >/dev/null 2>&1; then
		if ! err2=$(pgq "$pg_db" 'SELECT 1' 2>&1); then
			die "cannot connect to PostgreSQL at $pg_host:$pg_port as $pg_user: ${err:-$err2}"
		fi
		maint_db=$pg_db
	fi
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
		have createdb || die "createdb is required: on Debian/Ubuntu \`sudo apt-get install -y postgresql-client\`"
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
		if is_local "$redis_host" && ! have redis-server && is_root; then
			apt_install redis-server
			say "installed redis-server (apt-get install redis-server)"
		fi
		# The package may have started its own; otherwise start one here.
		if ! redis_ping && ! { is_local "$redis_host" && start_redis; }; then
			how="\`sudo apt-get update && sudo apt-get install -y redis-server\` (this script then starts it), or \`$(sudo_rerun)\`"
			if have redis-server; then
				how="\`sudo service redis-server start\`"
			fi
			if [[ -n ${REDIS_URL:-} ]]; then
				die "Redis is not reachable at $redis_host:$redis_port but REDIS_URL is set: on Debian/Ubuntu" \
					"$how; or set REDIS_URL to a reachable server, or unset it to run as a single instance without Redis"
			fi
			warn "Redis is not reachable at $redis_host:$redis_port; continuing without it (to have it: $how)"
		fi
	fi
fi

# ------------------------------------------------------------------ chromium

if ((chromium_wanted)) && [[ ! -x /usr/bin/chromium ]]; then
	if ! is_root; then
		die "chromium is required for the browser tests: run" \
			"\`sudo apt-get update && sudo apt-get install -y chromium\`"
	fi
	apt_install chromium
	say "installed chromium"
fi

# An independent iCalendar implementation reads our export feed in the ical
# tests (skipped only where python3 is absent).
if ((chromium_wanted)) && ! /usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1; then
	if ! is_root; then
		warn "python3-icalendar is missing (the ical export test needs it):" \
			"\`sudo apt-get install -y python3-icalendar\`"
	else
		apt_install python3-icalendar
		say "installed python3-icalendar"
	fi
fi

# ------------------------------------------------------------------ promtool

# The deploy tests run `promtool check config|rules` and `promtool test rules`
# on deploy/prometheus. Only promtool is needed: where systemd runs, the
# package also starts a Prometheus (`systemctl disable --now prometheus`).
if ((promtool_wanted)) && ! have promtool; then
	if ! is_root; then
		die "promtool is required for the monitoring tests: run" \
			"\`sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus\`"
	fi
	apt_install --no-install-recommends prometheus
	say "installed promtool (Debian's prometheus)"
fi
