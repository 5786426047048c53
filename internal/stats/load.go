package stats

import (
	"context"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/internal/rates"
)

// Load reads the account's currency and properties, and its stays and
// blocks cut by month, for the window: four queries, whatever the number of
// properties.
func Load(ctx context.Context, conn dbq.DBTX, accountID int64, w Window) (Input, error) {
	q := db.Q(conn)
	in := Input{Window: w}
	cur, err := q.ReportAccountCurrency(ctx, accountID)
	if err != nil {
		return Input{}, fmt.Errorf("stats: currency of account %d: %w", accountID, err)
	}
	in.Currency = cur
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
		in.Stays = append(in.Stays, StayMonth{ReservationID: s.ReservationID, PropertyID: s.PropertyID,
			Channel: s.Channel, Month: s.Month, Nights: int(s.Nights), Revenue: money.In(s.Revenue, s.Currency),
			Rate: rates.Rate(s.ExchangeRateE4)})
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

// Collected is the money collected in one currency over a period: approved
// payments less their refunds (Gross), Mercado Pago's fees of them (Fees,
// from the payments' fee_details) and what is left (Net).
type Collected struct {
	Currency         string
	Payments         int
	Gross, Fees, Net money.Money
}

// LoadCollected reads the account's collected money per currency of the
// payments made in [from, to).
func LoadCollected(ctx context.Context, conn dbq.DBTX, accountID int64, from, to time.Time) ([]Collected, error) {
	rows, err := db.Q(conn).ReportCollected(ctx, dbq.ReportCollectedParams{AccountID: accountID, FromAt: from, ToAt: to})
	if err != nil {
		return nil, fmt.Errorf("stats: payments of account %d: %w", accountID, err)
	}
	out := make([]Collected, len(rows))
	for i, r := range rows {
		out[i] = Collected{Currency: r.Currency, Payments: int(r.Payments), Gross: r.Gross, Fees: r.Fees,
			Net: r.Gross - r.Fees}
	}
	return out, nil
}
