#!/usr/bin/env bash
# vulncheck: govulncheck offline. The Go vulnerability data is published as
# the Go module golang.org/x/vulndb (its data/osv folder holds one OSV JSON
# file per advisory); we download it through the module proxy like any other
# module, build a v1 database from it with the module's own cmd/indexdb, and
# run `go tool govulncheck -db file://…` against that. Nothing talks to
# vuln.go.dev.
#
# Every finding must be listed in .govulncheck-accepted (id and mitigation);
# anything else fails. The built database is cached per vulndb version under
# $(go env GOCACHE)/alojamientos-vulndb, so reruns only run govulncheck.
#
#   VULNDB_VERSION=latest (default) or a pseudo-version to pin the data.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
GO=${GO:-go}
version=${VULNDB_VERSION:-latest}
accepted=.govulncheck-accepted

fail() { echo "vulncheck: $*" >&2; exit 1; }

# Outside our module, so go.mod and go.sum are left alone.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
info=$(cd "$scratch" && GOFLAGS=-mod=mod $GO mod download -json "golang.org/x/vulndb@$version" 2>&1) ||
	fail "could not download the module golang.org/x/vulndb@$version through the module proxy ($($GO env GOPROXY)):
$info
The vulnerability database cannot be built offline without it; this check does not pass silently."
field() { sed -n 's/^[[:space:]]*"'"$1"'": "\(.*\)",\{0,1\}$/\1/p' <<<"$info" | head -1; }
dir=$(field Dir)
resolved=$(field Version)
[ -n "$dir" ] && [ -d "$dir/data/osv" ] || fail "golang.org/x/vulndb@$version has no data/osv folder (got: $info)"

cache="$($GO env GOCACHE)/alojamientos-vulndb/$resolved"
if [ ! -f "$cache/index/db.json" ]; then
	echo "vulncheck: building the database from golang.org/x/vulndb@$resolved ($(ls "$dir/data/osv" | wc -l) advisories)"
	mkdir -p "$scratch/build"
	# cmd/indexdb is built inside the downloaded module with its own go.mod and go.sum.
	(cd "$dir" && GOFLAGS=-mod=mod $GO build -o "$scratch/indexdb" ./cmd/indexdb) ||
		fail "could not build golang.org/x/vulndb/cmd/indexdb@$resolved"
	"$scratch/indexdb" -vulns "$dir/data/osv" -out "$scratch/build/db" || fail "indexdb failed"
	mkdir -p "$(dirname "$cache")"
	rm -rf "$cache"
	mv "$scratch/build/db" "$cache"
fi
echo "vulncheck: database golang.org/x/vulndb@$resolved ($cache)"

# Findings that affect our code: the text report lists, as "Vulnerability #n:
# GO-…", only those whose vulnerable symbols our code reaches (exit 3 when any);
# modules merely required are counted in a footer, not failed on.
out="$scratch/report.txt"
rc=0
$GO tool govulncheck -db "file://$cache" ./... >"$out" 2>&1 || rc=$?
case $rc in
0 | 3) ;;
*) cat "$out" >&2; fail "govulncheck could not run (exit $rc)" ;;
esac
found=$(grep -oE '^Vulnerability #[0-9]+: GO-[0-9]{4}-[0-9]+' "$out" | sed 's/.*: //' | sort -u || true)
status=0
for id in $found; do
	if grep -qE "^$id[[:space:]]" "$accepted" 2>/dev/null; then
		echo "vulncheck: $id accepted: $(grep -E "^$id[[:space:]]" "$accepted" | cut -f2- -d' ')"
	else
		echo "vulncheck: $id is called from our code and is not in $accepted:" >&2
		grep -A12 "^Vulnerability #.*: $id" "$out" >&2 || true
		status=1
	fi
done
[ $status = 0 ] || fail "new vulnerabilities: upgrade the module or list them in $accepted with their mitigation"
echo "vulncheck: ok ($(wc -w <<<"$found" | tr -d ' ') accepted findings)"
