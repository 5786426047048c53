// Package architecture holds no code, only a test (imports_test.go) that
// reads the source tree with go/parser and fails when the layering described
// in docs/architecture.md is broken:
//
//   - web/... must not import github.com/jackc/pgx/... (handlers speak to
//     the database through internal/* and db, whose errors are already
//     translated);
//   - cmd/... must not import pgx either, except the packages in the test's
//     allow-list, each with its reason (the composition root internal/app is
//     not under cmd/ and may);
//   - views/... must not import alojamientos/db... or alojamientos/web...;
//   - internal/... must not import alojamientos/web..., views/... or
//     cmd/..., not even from a test: a domain test runs against db/dbtest,
//     not the HTTP server (internal/app, the composition root, builds the
//     web server and is the exception);
//   - every package has a package doc comment;
//   - a hand-written function (not in a _templ.go file, not in db/dbq, not
//     a test) is at most 80 lines long, unless a line of its doc comment
//     starts with "Long:" and says why.
//
// The pgx rules look at non-test files: tests may inspect the database with
// the driver directly. The other import rules look at tests too.
package architecture
