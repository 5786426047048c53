package platform

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryVariableInTheREADME: every environment variable LoadConfig reads
// has a row in the README's configuration table, and the table names none it
// does not read, so the two cannot drift apart.
func TestEveryVariableInTheREADME(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("config.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)

	read := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:get\(|\{)"([A-Z][A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		read[m[1]] = true
	}
	require.Greater(t, len(read), 20, "the pattern no longer finds the variables in config.go")

	table := map[string]bool{}
	section := string(readme)
	i := strings.Index(section, "## Configuration")
	require.GreaterOrEqual(t, i, 0, "README has no Configuration section")
	section = section[i:]
	if j := strings.Index(section[2:], "\n## "); j >= 0 {
		section = section[:j+2]
	}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z][A-Z0-9_]+)` \\|").FindAllStringSubmatch(section, -1) {
		table[m[1]] = true
	}
	for v := range read {
		require.True(t, table[v], "%s is read by config.go but has no row in the README's configuration table", v)
	}
	for v := range table {
		require.True(t, read[v], "the README's configuration table has %s, which config.go does not read", v)
	}
}
