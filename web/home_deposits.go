package web

import (
	"context"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/home"
)

// homeDeposits lists the damage deposits to return: received, not yet
// settled, and the stay over (check-out today or before, in the account's
// date). Each stays listed until the owner returns it.
func (s *Server) homeDeposits(ctx context.Context, accountID int64, today time.Time) ([]home.DepositDue, error) {
	rows, err := db.Q(s.pool).ListDepositsToReturn(ctx, dbq.ListDepositsToReturnParams{AccountID: accountID, Today: today})
	if err != nil {
		return nil, fmt.Errorf("web: home deposits: %w", err)
	}
	out := make([]home.DepositDue, 0, len(rows))
	for _, r := range rows {
		when := "salió el " + format.Date(r.CheckOut)
		if r.CheckOut.Equal(today) {
			when = "sale hoy"
		}
		out = append(out, home.DepositDue{Guest: r.GuestName, Property: r.PropertyName, Code: r.Code, CheckOut: when,
			Amount: format.Amount(money.In(r.Amount, r.Currency)), URL: reservationURL(r.Code) + "#deposito"})
	}
	return out, nil
}
