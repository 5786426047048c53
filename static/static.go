// Package static embeds the CSS, JavaScript and images served under /static.
package static

import "embed"

// Files is the static tree.
//
//go:embed css js
var Files embed.FS
