#!/usr/bin/env bash
# Backs up the database with pg_dump's custom format (-Fc: compressed, restored
# with pg_restore, table by table if need be) and prunes old backups.
#
#   scripts/backup.sh [--loop]
#
#   DATABASE_URL     default postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable
#   BACKUP_DIR       where dumps go (default: backups); created if missing
#   KEEP_DAYS        dumps older than this many days are deleted after a good dump (default 14)
#   BACKUP_INTERVAL  seconds between dumps with --loop (default 86400)
#   PG_DUMP          the pg_dump to run (default: pg_dump on PATH); its major
#                    version must be at least the server's
#
#   --loop           dump, prune, sleep BACKUP_INTERVAL, forever (the compose
#                    backup service); a failed dump is reported and retried
#                    at the next round
#
# Each dump is BACKUP_DIR/alojamientos-YYYYMMDDTHHMMSSZ.dump, written under a
# temporary name and renamed once pg_dump succeeded and pg_restore --list
# reads it back, so a file with the final name is always a whole dump. Prints
# the file's path on success. Restore: README, "Running in production".
set -euo pipefail

prog=backup
say() { printf '%s: %s\n' "$prog" "$*"; }
die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

loop=0
for arg in "$@"; do
	case "$arg" in
	--loop) loop=1 ;;
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

database_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/alojamientos?sslmode=disable}
dir=${BACKUP_DIR:-backups}
keep_days=${KEEP_DAYS:-14}
interval=${BACKUP_INTERVAL:-86400}
pg_dump=${PG_DUMP:-pg_dump}
pg_restore=$(dirname "$(command -v "$pg_dump" || echo pg_dump)")/pg_restore
[[ -x $pg_restore ]] || pg_restore=pg_restore

[[ $keep_days =~ ^[0-9]+$ ]] || die "KEEP_DAYS must be a whole number of days, not '$keep_days'"
[[ $interval =~ ^[0-9]+$ && $interval -gt 0 ]] || die "BACKUP_INTERVAL must be a positive number of seconds, not '$interval'"
command -v "$pg_dump" >/dev/null 2>&1 || die "$pg_dump not found: on Debian/Ubuntu \`apt-get install postgresql-client\`"

# backup_once writes one dump and prunes the old ones; prints the new path.
backup_once() {
	local stamp final tmp
	mkdir -p "$dir"
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	final="$dir/alojamientos-$stamp.dump"
	tmp="$dir/.alojamientos-$stamp.dump.partial"
	rm -f "$tmp"
	if ! "$pg_dump" --format=custom --compress=6 --file="$tmp" --dbname="$database_url"; then
		rm -f "$tmp"
		printf '%s: pg_dump failed\n' "$prog" >&2
		return 1
	fi
	if ! "$pg_restore" --list "$tmp" >/dev/null; then
		rm -f "$tmp"
		printf '%s: the new dump does not read back (pg_restore --list)\n' "$prog" >&2
		return 1
	fi
	mv -f "$tmp" "$final"
	# Only after a good dump: never prune down to nothing because dumps fail.
	find "$dir" -maxdepth 1 -type f -name 'alojamientos-*.dump' -mmin +$((keep_days * 1440)) -print -delete |
		sed "s/^/$prog: pruned /" >&2
	find "$dir" -maxdepth 1 -type f -name '.alojamientos-*.dump.partial' -mmin +1440 -delete
	printf '%s\n' "$final"
}

if ((!loop)); then
	backup_once
	exit 0
fi

say "every ${interval}s into $dir, keeping $keep_days days"
while :; do
	if f=$(backup_once); then
		say "wrote $f ($(du -h "$f" | cut -f1))"
	else
		say "backup failed; next attempt in ${interval}s" >&2
	fi
	sleep "$interval"
done
