package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/app"
	"alojamientos/internal/ical"
	"alojamientos/internal/platform"
)

// feeds runs `feeds add` and `feeds sync`.
func feeds(ctx context.Context, cfg platform.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: feeds add --property SLUG --channel airbnb|booking|vrbo|other --url URL | feeds sync [--property SLUG]")
	}
	a, err := app.Build(ctx, cfg, app.Options{Log: log, NoHTTP: true})
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "add":
		return feedsAdd(ctx, a, args[1:], stdout)
	case "sync":
		return feedsSync(ctx, a, args[1:], stdout)
	}
	return fmt.Errorf("unknown feeds command %q (add, sync)", args[0])
}

func propertyBySlug(ctx context.Context, a *app.App, slug string) (dbq.GetPropertyBySlugRow, error) {
	p, err := db.Q(a.Pool()).GetPropertyBySlug(ctx, slug)
	if errors.Is(err, db.ErrNotFound) {
		return p, fmt.Errorf("no property with slug %q (see `alojamientos properties`)", slug)
	}
	return p, err
}

func feedsAdd(ctx context.Context, a *app.App, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("feeds add", flag.ContinueOnError)
	slug := fs.String("property", "", "property slug")
	channel := fs.String("channel", "", "airbnb, booking, vrbo or other")
	rawURL := fs.String("url", "", "the channel's export calendar URL")
	interval := fs.Int("interval", ical.DefaultInterval, "minutes between syncs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := propertyBySlug(ctx, a, *slug)
	if err != nil {
		return err
	}
	f, err := ical.AddFeed(ctx, a.Pool(), ical.NewFeed{AccountID: p.AccountID, PropertyID: p.ID,
		Channel: *channel, URL: *rawURL, Interval: *interval})
	var fe *ical.FeedError
	if errors.As(err, &fe) {
		return fmt.Errorf("%s: %s", p.Slug, feedProblems(fe))
	} else if err != nil {
		return fmt.Errorf("add feed: %w", err)
	}
	fmt.Fprintf(stdout, "feed %d added: %s %s %s every %d min\n", f.ID, p.Slug, f.Channel, ical.MaskURL(f.Url), f.IntervalMinutes)
	return nil
}

// feedProblems names each refused field by its flag, with the Spanish message
// the web form shows beside it.
func feedProblems(fe *ical.FeedError) string {
	var parts []string
	for _, field := range []string{"channel", "url", "interval"} {
		if msg, ok := fe.Fields[field]; ok {
			parts = append(parts, "--"+field+": "+msg)
		}
	}
	return strings.Join(parts, " ")
}

func feedsSync(ctx context.Context, a *app.App, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("feeds sync", flag.ContinueOnError)
	slug := fs.String("property", "", "only this property's feeds")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var propertyID int64
	if *slug != "" {
		p, err := propertyBySlug(ctx, a, *slug)
		if err != nil {
			return err
		}
		propertyID = p.ID
	}
	results, err := a.ICalSync().SyncAll(ctx, propertyID)
	for _, r := range results {
		fmt.Fprintln(stdout, r.String())
	}
	if err != nil {
		return err
	}
	if len(results) == 0 {
		fmt.Fprintln(stdout, "no feeds to sync (add one with `alojamientos feeds add`)")
	}
	// A failed feed is a normal, recorded outcome: the exit status stays 0.
	return nil
}
