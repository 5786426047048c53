#!/usr/bin/env bash
# Regenerates templ and sqlc output in a scratch copy and compares it with
# what is committed, so a stale *_templ.go or db/dbq file fails the build
# without touching the work tree.
set -euo pipefail
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Copy tracked and untracked-but-not-ignored files: what a clean checkout plus your edits would hold.
git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$scratch"/ 2>/dev/null || true
(
  cd "$scratch"
  go tool templ generate >/dev/null 2>&1 || go tool templ generate
  go tool sqlc generate
)
stale=0
while IFS= read -r f; do
  if ! cmp -s "$f" "$scratch/$f"; then
    echo "stale generated file: $f" >&2
    stale=1
  fi
done < <(cd "$scratch" && { find . -name '*_templ.go' -printf '%P\n'; find db/dbq -name '*.go' -printf '%P\n' | sed 's#^#db/dbq/#'; } | sort -u)
# A generated file deleted from the sources must not linger either.
for f in $(git ls-files '*_templ.go' 'db/dbq/*.go'); do
  [ -f "$scratch/$f" ] || { echo "generated file without source: $f" >&2; stale=1; }
done
if [ "$stale" -ne 0 ]; then
  echo "generated code is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "generated code is up to date"
