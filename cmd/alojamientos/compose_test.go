package main

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// wantToolchain is the Go release the project builds with (DESIGN.md, Stack:
// GOTOOLCHAIN=go1.27.3); the Dockerfile's builder image must use the same.
const wantToolchain = "go1.27.3"

type composeFile struct {
	Services map[string]struct {
		Image       string         `yaml:"image"`
		Build       any            `yaml:"build"`
		Environment map[string]any `yaml:"environment"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Volumes []string `yaml:"volumes"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + path)
	require.NoError(t, err)
	return string(b)
}

// configVariables returns every environment variable LoadConfig reads, taken
// from its source so that a new variable cannot be forgotten here.
func configVariables(t *testing.T) []string {
	t.Helper()
	src := readRepoFile(t, "internal/platform/config.go")
	seen := map[string]bool{}
	var names []string
	// Names read through get("NAME", …), and any other quoted NAME_WITH_UNDERSCORES
	// (variables read in a loop over a table, for instance).
	for _, m := range regexp.MustCompile(`get\("([A-Z_]+)"|"([A-Z][A-Z0-9]*_[A-Z0-9_]+)"`).FindAllStringSubmatch(src, -1) {
		if m[1] == "" {
			m[1] = m[2]
		}
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	// A sanity floor: if the loader stops using get(…), this test must be
	// rewritten rather than pass vacuously.
	require.Contains(t, names, "DATABASE_URL")
	require.Contains(t, names, "SESSION_SECRET")
	require.GreaterOrEqual(t, len(names), 20, "config variables found: %v", names)
	return names
}

func TestComposeFile(t *testing.T) {
	t.Parallel()
	var c composeFile
	require.NoError(t, yaml.Unmarshal([]byte(readRepoFile(t, "docker-compose.yml")), &c),
		"docker-compose.yml must parse, with app.environment in map form")

	for _, name := range []string{"app", "postgres", "redis"} {
		require.Contains(t, c.Services, name, "service %s", name)
	}
	require.True(t, strings.HasPrefix(c.Services["postgres"].Image, "postgres:16"),
		"postgres image %q", c.Services["postgres"].Image)
	require.True(t, strings.HasPrefix(c.Services["redis"].Image, "redis:7"),
		"redis image %q", c.Services["redis"].Image)

	app := c.Services["app"]
	require.NotNil(t, app.Build, "app is built from the Dockerfile")
	for _, dep := range []string{"postgres", "redis"} {
		require.Equal(t, "service_healthy", app.DependsOn[dep].Condition, "app depends_on %s", dep)
	}
	for _, name := range configVariables(t) {
		require.Contains(t, app.Environment, name,
			"internal/platform/config.go reads %s: add it to app.environment in docker-compose.yml", name)
	}
	require.Equal(t, "production", app.Environment["ENV"])
	require.Equal(t, "/data", app.Environment["DATA_DIR"])
	require.Contains(t, app.Volumes, "app-data:/data")
	for _, v := range []string{"app-data", "pg-data"} {
		require.Contains(t, c.Volumes, v, "named volume %s", v)
	}
}

func TestComposeDockerfile(t *testing.T) {
	t.Parallel()
	df := readRepoFile(t, "Dockerfile")

	from := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(df, -1)
	require.GreaterOrEqual(t, len(from), 2, "a multi-stage build")
	require.Contains(t, df, "go build")
	require.Contains(t, df, "./cmd/alojamientos")
	require.Contains(t, df, "-X alojamientos/internal/platform.Version=")
	require.Contains(t, readRepoFile(t, "internal/platform/config.go"), "var Version")

	// The builder's Go is the project's toolchain, and go.mod agrees.
	m := regexp.MustCompile(`^golang:(\d+\.\d+(?:\.\d+)?)\b`).FindStringSubmatch(from[0][1])
	require.NotNil(t, m, "the first stage builds with a golang image, not %q", from[0][1])
	require.Equal(t, wantToolchain, "go"+m[1], "Dockerfile builder image")

	gomod := readRepoFile(t, "go.mod")
	goLine := regexp.MustCompile(`(?m)^go\s+(\S+)\s*$`).FindStringSubmatch(gomod)
	require.NotNil(t, goLine, "go.mod has a go line")
	require.True(t, wantToolchain == "go"+goLine[1] || strings.HasPrefix(wantToolchain, "go"+goLine[1]+"."),
		"go.mod says go %s, the toolchain is %s", goLine[1], wantToolchain)
	if tc := regexp.MustCompile(`(?m)^toolchain\s+(\S+)\s*$`).FindStringSubmatch(gomod); tc != nil {
		require.Equal(t, wantToolchain, tc[1], "go.mod toolchain line")
	}
	// The Makefile (when present) exports the same toolchain.
	if mk, err := os.ReadFile("../../Makefile"); err == nil {
		if g := regexp.MustCompile(`GOTOOLCHAIN\s*[:?]?=\s*(go[0-9.]+)`).FindSubmatch(mk); g != nil {
			require.Equal(t, wantToolchain, string(g[1]), "Makefile GOTOOLCHAIN")
		}
	}
}
