package web

import (
	"fmt"
	"hash/fnv"
	"strconv"
)

// pollVersion fingerprints what a polled fragment shows. The fragment asks
// again with the version it shows (?v=…); when nothing changed the answer is
// 204 and htmx leaves the page alone (no flicker, a text selection survives).
func pollVersion(parts ...any) string {
	h := fnv.New64a()
	for _, p := range parts {
		fmt.Fprintf(h, "%v\x00", p)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}
