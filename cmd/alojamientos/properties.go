package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"alojamientos/db"
	"alojamientos/internal/app"
	"alojamientos/internal/platform"
)

type propertyListing struct {
	ID      int64  `json:"id"`
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Account string `json:"account"`
	Active  bool   `json:"active"`
	ICSURL  string `json:"ics_url"`
}

func properties(ctx context.Context, cfg platform.Config, _ *slog.Logger, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("properties", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	rows, err := db.Q(pool).ListAllProperties(ctx)
	if err != nil {
		return fmt.Errorf("list properties: %w", err)
	}
	out := make([]propertyListing, 0, len(rows))
	for _, p := range rows {
		out = append(out, propertyListing{ID: p.ID, Slug: p.Slug, Name: p.Name, Account: p.AccountSlug, Active: p.Active,
			ICSURL: cfg.BaseURL + "/ical/" + p.IcsToken + ".ics"})
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		return errors.New("no properties yet: run `alojamientos seed --demo` or create them in the dashboard")
	}
	for _, p := range out {
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\n", p.ID, p.Slug, p.Name, p.ICSURL)
	}
	return nil
}
