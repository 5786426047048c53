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

# Findings that affect our code (symbol level, what govulncheck fails on).
out="$scratch/findings.json"
$GO tool govulncheck -db "file://$cache" -format json ./... >"$out" || fail "govulncheck could not run"
found=$(python3 - "$out" <<'EOF'
import json, sys
dec, text, pos, ids = json.JSONDecoder(), open(sys.argv[1]).read(), 0, set()
while True:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    obj, pos = dec.raw_decode(text, pos)
    f = obj.get("finding")
    # A finding whose trace reaches a function is one our code calls.
    if f and f.get("trace") and f["trace"][0].get("function"):
        ids.add(f["osv"])
print("\n".join(sorted(ids)))
EOF
)
status=0
for id in $found; do
	if grep -qE "^$id[[:space:]]" "$accepted" 2>/dev/null; then
		echo "vulncheck: $id accepted: $(grep -E "^$id[[:space:]]" "$accepted" | cut -f2- -d' ' | sed 's/^[[:space:]]*//')"
	else
		echo "vulncheck: $id is called from our code and is not in $accepted:" >&2
		$GO tool govulncheck -db "file://$cache" ./... 2>&1 | grep -A12 "^Vulnerability #.*: $id" >&2 || true
		status=1
	fi
done
[ $status = 0 ] || fail "new vulnerabilities: upgrade the module or list them in $accepted with their mitigation"
echo "vulncheck: ok ($(wc -w <<<"$found" | tr -d ' ') accepted findings)"
