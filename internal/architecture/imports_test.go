package architecture

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the directory of the module's go.mod, above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("architecture: no go.mod above the test")
		}
		dir = parent
	}
}

func TestArchitecture(t *testing.T) {
	t.Parallel()
	found, err := check(repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range found {
		t.Errorf("%s", v)
	}
	if t.Failed() {
		t.Log("the rules are in doc.go and docs/architecture.md")
	}
}

// TestCheckerCatchesViolations runs the checker over a small tree in
// testdata/fake that breaks every rule once and keeps every exception (the
// allowed cmd/bench, internal/app above web, tests using pgx, a justified
// long function, one of exactly 80 lines, generated code, db/dbq, templ output).
func TestCheckerCatchesViolations(t *testing.T) {
	t.Parallel()
	// A copy, where page_templ.go.in becomes page_templ.go: committed under
	// its own name, scripts/check-generated.sh would take it for a stale
	// generated file without a .templ source.
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", "fake"))); err != nil {
		t.Fatal(err)
	}
	templ := filepath.Join(root, "views", "page", "page_templ.go")
	if err := os.Rename(templ+".in", templ); err != nil {
		t.Fatal(err)
	}
	found, err := check(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range found {
		got = append(got, v.String())
	}
	want := []string{
		`cmd/tool/main.go:4: cmd-pgx: imports github.com/jackc/pgx/v5/pgxpool`,
		`internal/dom/dom.go:1: package-doc: package internal/dom has no package doc comment`,
		`internal/dom/dom.go:3: internal-imports: imports alojamientos/views/page`,
		`internal/dom/dom.go:6: long-func: TooLong is 81 lines (over 80) without a "Long:" line in its doc comment`,
		`internal/dom/dom.go:325: long-func: (*T).Method is 90 lines (over 80) without a "Long:" line in its doc comment`,
		`internal/dom/dom_test.go:3: internal-imports: imports alojamientos/web`,
		`views/page/page.go:5: views-imports: imports alojamientos/db`,
		`views/page/page.go:7: views-imports: imports alojamientos/web/webtest`,
		`web/server.go:4: web-pgx: imports github.com/jackc/pgx/v5`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations in testdata/fake:\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
