// Package static embeds the CSS, JavaScript and images served under /static.
// A package of its own because go:embed reads only files below the package's
// directory; the binary then needs no files beside it.
package static

import "embed"

// Files is the static tree.
//
//go:embed css js
var Files embed.FS
