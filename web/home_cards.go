package web

import (
	"context"
	"time"

	"alojamientos/views/home"
)

// homeCards fills the home page's cards that show only when there is
// something to do: stale exchange rates, receipts to review, refunds to see
// through. One function, so adminHome stays a readable list of queries.
func (s *Server) homeCards(ctx context.Context, vm *home.View, accountID int64, loc *time.Location, now time.Time) error {
	var err error
	if vm.RateWarnings, err = s.rateWarnings(ctx, accountID, loc); err != nil {
		return err
	}
	if vm.Receipts, err = s.homeReceipts(ctx, accountID, loc); err != nil {
		return err
	}
	vm.Refunds, vm.RefundsDone, err = s.homeRefunds(ctx, accountID, loc, now)
	return err
}
