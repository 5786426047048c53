package web

import (
	"context"
	"log/slog"
	"time"

	rateviews "alojamientos/views/rates"
)

// rateWarnings are the account's stale automatic rates, for the dashboard home.
func (s *Server) rateWarnings(ctx context.Context, accountID int64, loc *time.Location) ([]rateviews.Warning, error) {
	sts, err := s.rates.Statuses(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var out []rateviews.Warning
	for _, st := range sts {
		if st.Stale {
			out = append(out, rateviews.Warning{Currency: st.Currency, Text: staleReason(st, loc)})
		}
	}
	return out, nil
}

// checkRates reports the automatic exchange rates of every account: ok, or
// degraded while any is stale (its last fetch failed or is older than
// rates.StaleAfter). It never makes the service unhealthy nor unready: a
// stale rate keeps being used and bookings go on.
func (s *Server) checkRates(ctx context.Context, log *slog.Logger) check {
	stale, err := s.rates.StaleAuto(ctx)
	if err != nil {
		log.Warn("health: rates", "error", err)
		return check{"status": statusDegraded, "error": "cannot read exchange rates"}
	}
	if len(stale) == 0 {
		return check{"status": statusOK}
	}
	failing := 0
	for _, e := range stale {
		if e != "" {
			failing++
		}
	}
	return check{"status": statusDegraded, "stale": len(stale), "failing": failing}
}
