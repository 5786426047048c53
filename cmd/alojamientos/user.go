package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/app"
	"alojamientos/internal/auth"
	"alojamientos/internal/platform"
)

func user(ctx context.Context, cfg platform.Config, _ *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: alojamientos user create --email E --password P [--name N] [--account A] [--role owner|staff]")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	email := fs.String("email", "", "login email (required)")
	password := fs.String("password", "", "password, at least 10 characters (required)")
	name := fs.String("name", "", "display name")
	account := fs.String("account", "", "account slug or name; created when missing (default: the only account)")
	role := fs.String("role", "owner", "owner or staff")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || *password == "" {
		return errors.New("--email and --password are required")
	}
	pool, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()

	var created dbq.User
	err = db.InTx(ctx, pool, func(tx db.Tx) error {
		acc, err := findOrCreateAccount(ctx, db.Q(tx), *account)
		if err != nil {
			return err
		}
		created, err = auth.CreateUser(ctx, tx, auth.NewUser{AccountID: acc.ID, Email: *email, Name: *name,
			Password: *password, Role: *role})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created %s user %s (id %d) in account %d\n", created.Role, created.Email, created.ID, created.AccountID)
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a URL slug from a name ("Cabañas del Lago" → "cabanas-del-lago").
func slugify(s string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n")
	s = nonSlug.ReplaceAllString(r.Replace(strings.ToLower(s)), "-")
	s = strings.Trim(s, "-")
	if len(s) > 60 {
		s = strings.Trim(s[:60], "-")
	}
	return s
}

func findOrCreateAccount(ctx context.Context, q *dbq.Queries, name string) (dbq.Account, error) {
	if name == "" {
		accs, err := q.ListAccounts(ctx)
		if err != nil {
			return dbq.Account{}, err
		}
		switch len(accs) {
		case 1:
			return accs[0], nil
		case 0:
			name = "Mi alojamiento"
		default:
			return dbq.Account{}, errors.New("there are several accounts: say which with --account")
		}
	}
	slug := slugify(name)
	if slug == "" {
		return dbq.Account{}, fmt.Errorf("--account %q has no letters or digits", name)
	}
	acc, err := q.GetAccountBySlug(ctx, slug)
	if errors.Is(err, db.ErrNotFound) {
		return q.CreateAccount(ctx, dbq.CreateAccountParams{Slug: slug, Name: name,
			Timezone: "America/Argentina/Buenos_Aires", Currency: "ARS"})
	}
	return acc, err
}
