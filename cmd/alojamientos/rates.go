package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/app"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
)

const ratesUsage = "usage: alojamientos rates set CURRENCY RATE [--account SLUG] | alojamientos rates show [--account SLUG]"

// ratesCmd runs `rates set USD 1185.50` (a manual rate, as the owner's page
// stores it) and `rates show` (today's rate per currency, its age, and
// whether an automatic one is stale). --account may be left out when the
// installation has one account.
func ratesCmd(ctx context.Context, cfg platform.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	account, pos, err := accountFlag(args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || !(pos[0] == "set" && len(pos) == 3 || pos[0] == "show" && len(pos) == 1) {
		return errors.New(ratesUsage)
	}
	a, err := app.Build(ctx, cfg, app.Options{Log: log, NoHTTP: true})
	if err != nil {
		return err
	}
	defer a.Close()
	acc, err := pickAccount(ctx, a, account)
	if err != nil {
		return err
	}
	if pos[0] == "show" {
		return ratesShow(ctx, a.Rates(), acc, stdout)
	}
	currency := strings.ToUpper(pos[1])
	if !rates.ValidCurrency(currency) {
		return fmt.Errorf("%q is not a foreign currency code (USD, EUR…)", pos[1])
	}
	r, err := rates.Parse(pos[2])
	if err != nil {
		return fmt.Errorf("%q: %s", pos[2], rates.Message(err))
	}
	cur, err := a.Rates().SetManual(ctx, acc.ID, currency, r, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: 1 %s = %s (manual)\n", acc.Slug, cur.Currency, cur.Rate.Format())
	return nil
}

// accountFlag takes --account SLUG (or --account=SLUG) from anywhere in args
// and returns the other arguments in order.
func accountFlag(args []string) (string, []string, error) {
	var account string
	var pos []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--account" || a == "-account":
			if i+1 >= len(args) {
				return "", nil, errors.New("--account needs an account slug")
			}
			account, i = args[i+1], i+1
		case strings.HasPrefix(a, "--account="):
			account = strings.TrimPrefix(a, "--account=")
		case strings.HasPrefix(a, "-") && !isNumber(a):
			return "", nil, fmt.Errorf("unknown flag %s\n%s", a, ratesUsage)
		default:
			pos = append(pos, a)
		}
	}
	return account, pos, nil
}

func isNumber(s string) bool { _, err := rates.Parse(strings.TrimPrefix(s, "-")); return err == nil }

// pickAccount is the account named, or the only one.
func pickAccount(ctx context.Context, a *app.App, slug string) (dbq.Account, error) {
	q := db.Q(a.Pool())
	if slug != "" {
		acc, err := q.GetAccountBySlug(ctx, slugify(slug))
		if errors.Is(err, db.ErrNotFound) {
			return acc, fmt.Errorf("no account %q", slug)
		}
		return acc, err
	}
	all, err := q.ListAccounts(ctx)
	if err != nil {
		return dbq.Account{}, err
	}
	switch len(all) {
	case 0:
		return dbq.Account{}, errors.New("no accounts yet (see `alojamientos user create`)")
	case 1:
		return all[0], nil
	}
	slugs := make([]string, 0, len(all))
	for _, acc := range all {
		slugs = append(slugs, acc.Slug)
	}
	return dbq.Account{}, fmt.Errorf("several accounts: name one with --account (%s)", strings.Join(slugs, ", "))
}

func ratesShow(ctx context.Context, svc *rates.Service, acc dbq.Account, stdout io.Writer) error {
	sts, err := svc.Statuses(ctx, acc.ID)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "account %s\n", acc.Slug)
	fmt.Fprintln(w, "currency\trate\tkind\tsource\tset at\tage\tmode\tstate")
	for _, st := range sts {
		mode := st.Settings.Mode
		if mode == rates.ModeAuto {
			mode += " " + st.Settings.Kind + " +" + rates.FormatMarkup(st.Settings.MarkupBP)
		}
		state := "ok"
		if st.Stale {
			state = "STALE"
			if st.Settings.LastError != "" {
				state += ": " + st.Settings.LastError
			}
		}
		if st.Current == nil {
			fmt.Fprintf(w, "%s\t(none)\t\t\t\t\t%s\t%s\n", st.Currency, mode, state)
			continue
		}
		c := st.Current
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Currency, c.Rate.String(), c.Kind, c.Source,
			c.At.UTC().Format(time.RFC3339), c.Age.Truncate(time.Minute), mode, state)
	}
	return w.Flush()
}
