package web

import (
	"context"
	"time"

	"alojamientos/internal/format"
	"alojamientos/views/home"
)

// homeReceipts are the account's receipts waiting for review, for the home
// page, each linking to its reservation's receipts.
func (s *Server) homeReceipts(ctx context.Context, accountID int64, loc *time.Location) ([]home.Receipt, error) {
	if s.receipts == nil {
		return nil, nil
	}
	list, err := s.receipts.Pending(ctx, accountID)
	if err != nil {
		return nil, err
	}
	out := make([]home.Receipt, 0, len(list))
	for _, r := range list {
		out = append(out, home.Receipt{Guest: r.GuestName, Property: r.PropertyName, Code: r.Code,
			When: format.DateTime(r.CreatedAt, loc), Expected: format.Amount(r.Expected),
			URL: reservationURL(r.Code) + "#comprobantes"})
	}
	return out, nil
}
