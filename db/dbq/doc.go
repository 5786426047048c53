// Package dbq is the code sqlc generates from queries/*.sql against the schema
// of db/migrations: one typed Go function per query and one struct per table
// or result row. It is a package of its own so the generated files can be
// regenerated wholesale (make generate; make test fails when they are stale)
// and nothing hand-written lives among them; this file is the only one written
// by hand. Code outside db reaches it through db.Q, whose every error is
// translated into the storage boundary's errors (db/errors.go).
package dbq
