package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"alojamientos/db"
	"alojamientos/internal/app"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
)

const whatsappUsage = "usage: alojamientos whatsapp assign --account A --phone-number-id N | alojamientos whatsapp list"

// whatsappCmd is the installation admin's say over WhatsApp numbers: which
// account each Cloud API number belongs to. Owners can only connect a number
// their own access token proves is theirs; the admin assigns the
// installation's numbers (served by WHATSAPP_ACCESS_TOKEN) here.
func whatsappCmd(ctx context.Context, cfg platform.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "assign" && args[0] != "list") {
		return errors.New(whatsappUsage)
	}
	var account, number *string
	if args[0] == "assign" {
		fs := flag.NewFlagSet("whatsapp assign", flag.ContinueOnError)
		account = fs.String("account", "", "account slug or name (required)")
		number = fs.String("phone-number-id", "", "the number's Phone number ID in Meta (required)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *account == "" || *number == "" {
			return errors.New("--account and --phone-number-id are required")
		}
	}
	pool, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	q := db.Q(pool)
	if args[0] == "list" {
		rows, err := q.ListWhatsAppNumbers(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			number, state, token := r.PhoneNumberID, "enabled", "installation token"
			if number == "" {
				number = "(installation default)"
			}
			if !r.Enabled {
				state = "disabled"
			}
			if r.OwnToken {
				token = "own token"
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", r.Slug, number, state, token)
		}
		return nil
	}
	acc, err := q.GetAccountBySlug(ctx, slugify(*account))
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("no account %q", *account)
	}
	if err != nil {
		return err
	}
	svc := &whatsapp.Service{DB: pool, Clock: platform.SystemClock{}, Log: log}
	if err := svc.AssignNumber(ctx, acc.ID, *number); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "assigned WhatsApp number %s to account %s\n", *number, acc.Slug)
	return nil
}
