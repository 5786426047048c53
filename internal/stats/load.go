package stats

import (
	"context"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Load reads the account's properties, and its stays and blocks cut by month,
// for the window: three queries, whatever the number of properties.
func Load(ctx context.Context, conn dbq.DBTX, accountID int64, w Window) (Input, error) {
	q := db.Q(conn)
	in := Input{Window: w}
	props, err := q.ReportProperties(ctx, accountID)
	if err != nil {
		return Input{}, fmt.Errorf("stats: properties of account %d: %w", accountID, err)
	}
	for _, p := range props {
		in.Properties = append(in.Properties, Property{ID: p.ID, Name: p.Name, Active: p.Active})
	}
	stays, err := q.ReportStayMonths(ctx, dbq.ReportStayMonthsParams{AccountID: accountID, FromDate: w.From, ToDate: w.To()})
	if err != nil {
		return Input{}, fmt.Errorf("stats: stays of account %d: %w", accountID, err)
	}
	for _, s := range stays {
		in.Stays = append(in.Stays, StayMonth{PropertyID: s.PropertyID, Channel: s.Channel, Month: s.Month,
			Nights: int(s.Nights), Revenue: money.In(s.Revenue, s.Currency)})
	}
	blocks, err := q.ReportBlockedMonths(ctx, dbq.ReportBlockedMonthsParams{AccountID: accountID, FromDate: w.From, ToDate: w.To()})
	if err != nil {
		return Input{}, fmt.Errorf("stats: blocks of account %d: %w", accountID, err)
	}
	for _, b := range blocks {
		in.Blocks = append(in.Blocks, BlockMonth{PropertyID: b.PropertyID, Month: b.Month, Nights: int(b.Nights)})
	}
	return in, nil
}

// FirstYear is the year of the account's earliest stay, 0 when it has none.
func FirstYear(ctx context.Context, conn dbq.DBTX, accountID int64) (int, error) {
	y, err := db.Q(conn).ReportFirstYear(ctx, accountID)
	if err != nil {
		return 0, fmt.Errorf("stats: first year of account %d: %w", accountID, err)
	}
	return int(y), nil
}
