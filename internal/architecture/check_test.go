package architecture

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxFuncLines is the longest a hand-written function may be without a
// "Long:" line in its doc comment.
const MaxFuncLines = 80

// pgxPrefix is the driver, which only db, internal/* and the composition
// root may import.
const pgxPrefix = "github.com/jackc/pgx"

// cmdPgxAllowed are the commands under cmd/ that may import pgx, with why.
var cmdPgxAllowed = map[string]string{
	// The load generator creates and drops its own database and times raw
	// INSERTs against the constraint as the baseline the server is compared with.
	"cmd/bench": "creates its database and measures raw SQL baselines",
	// The soak run creates its own cluster and database, and checks the
	// invariants after the load with SQL, outside the application's code.
	"cmd/soak": "creates its database and checks invariants with SQL",
}

// A violation is one broken rule at one place.
type violation struct {
	Rule   string // "web-pgx", "cmd-pgx", "views-imports", "internal-imports", "package-doc", "long-func"
	File   string // slash-separated, relative to the module root
	Line   int
	Name   string // what is wrong, stable as code moves: "imports <path>", "package <dir>", the function's name
	Detail string // the message printed after Name, if any
}

// Key identifies the violation without its line, which moves as code is
// edited; reports are sorted by it.
func (v violation) Key() string {
	if v.Rule == "package-doc" {
		return v.Rule + ": " + v.Name // reported at whichever file comes first
	}
	return v.Rule + " " + v.File + ": " + v.Name
}

func (v violation) String() string {
	return fmt.Sprintf("%s:%d: %s: %s%s", v.File, v.Line, v.Rule, v.Name, v.Detail)
}

// check parses every Go file under root (a module whose go.mod names it)
// and returns the violations, sorted by file and line.
func check(root string) ([]violation, error) {
	mod, err := modulePath(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var out []violation
	type pkgDoc struct {
		file   string // the first non-test file, where a missing doc is reported
		hasDoc bool
	}
	pkgs := map[string]*pkgDoc{}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		dir := pathDir(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		test := strings.HasSuffix(name, "_test.go")
		out = append(out, checkImports(fset, f, mod, rel, dir, test)...)
		if test {
			return nil
		}
		p := pkgs[dir]
		if p == nil {
			p = &pkgDoc{file: rel}
			pkgs[dir] = p
		}
		if f.Doc != nil && strings.TrimSpace(f.Doc.Text()) != "" {
			p.hasDoc = true
		}
		if strings.HasSuffix(name, "_templ.go") || dir == "db/dbq" || strings.HasPrefix(dir, "db/dbq/") || ast.IsGenerated(f) {
			return nil
		}
		out = append(out, checkFuncs(fset, f, rel)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for dir, p := range pkgs {
		if !p.hasDoc {
			out = append(out, violation{Rule: "package-doc", File: p.file, Line: 1, Name: "package " + dir, Detail: " has no package doc comment"})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Key() < out[j].Key()
	})
	return out, nil
}

// checkImports applies the import rules to one file of package dir.
func checkImports(fset *token.FileSet, f *ast.File, mod, rel, dir string, test bool) []violation {
	var out []violation
	under := func(p, base string) bool { return p == base || strings.HasPrefix(p, base+"/") }
	for _, imp := range f.Imports {
		p := strings.Trim(imp.Path.Value, `"`)
		line := fset.Position(imp.Pos()).Line
		add := func(rule string) {
			out = append(out, violation{Rule: rule, File: rel, Line: line, Name: "imports " + p})
		}
		pgx := under(p, pgxPrefix)
		switch {
		case under(dir, "web"):
			if pgx && !test {
				add("web-pgx")
			}
		case under(dir, "cmd"):
			if pgx && !test && !allowedCmd(dir) {
				add("cmd-pgx")
			}
		case under(dir, "views"):
			if under(p, mod+"/db") || under(p, mod+"/web") {
				add("views-imports")
			}
		case under(dir, "internal/app"):
			// The composition root builds the web server: it sits above web.
		case under(dir, "internal"):
			if under(p, mod+"/web") || under(p, mod+"/views") || under(p, mod+"/cmd") {
				add("internal-imports")
			}
		}
	}
	return out
}

func allowedCmd(dir string) bool {
	for c := range cmdPgxAllowed {
		if dir == c || strings.HasPrefix(dir, c+"/") {
			return true
		}
	}
	return false
}

// checkFuncs reports the functions of one file longer than MaxFuncLines
// whose doc comment has no line starting with "Long:".
func checkFuncs(fset *token.FileSet, f *ast.File, rel string) []violation {
	var out []violation
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		start, end := fset.Position(fn.Pos()).Line, fset.Position(fn.End()).Line
		n := end - start + 1
		if n <= MaxFuncLines || hasLongReason(fn.Doc) {
			continue
		}
		out = append(out, violation{Rule: "long-func", File: rel, Line: start,
			Name:   funcName(fn),
			Detail: fmt.Sprintf(" is %d lines (over %d) without a \"Long:\" line in its doc comment", n, MaxFuncLines)})
	}
	return out
}

func hasLongReason(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, l := range strings.Split(doc.Text(), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "Long:") {
			return true
		}
	}
	return false
}

// funcName is "Name" or "(*Recv).Name".
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return "(" + star + id.Name + ")." + fn.Name.Name
	}
	return fn.Name.Name
}

func pathDir(rel string) string {
	i := strings.LastIndex(rel, "/")
	if i < 0 {
		return "."
	}
	return rel[:i]
}

func modulePath(gomod string) (string, error) {
	f, err := os.Open(gomod)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`), nil
		}
	}
	return "", fmt.Errorf("architecture: no module line in %s", gomod)
}
