package web

import (
	"context"

	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
)

// guestMoney is the guest page's deposit and ledger: the same ledger as the
// owner's page (booking.Ledger), with amounts, methods and states but not
// who did it. nil when there is nothing to show.
func (s *Server) guestMoney(ctx context.Context, r booking.Reservation, p booking.Property) (*guest.MoneyView, error) {
	l, err := s.booking.Ledger(ctx, r.AccountID, r.Code)
	if err != nil {
		return nil, err
	}
	m := &guest.MoneyView{DepositTerms: booking.DepositTerms(r.DamageDeposit, r.Currency, r.DamageDepositMethod),
		StayNet: format.Amount(money.In(l.StayNet(), l.Currency))}
	if d := l.Deposit; d != nil {
		in := func(v money.Money) string { return format.Amount(money.In(v, d.Currency)) }
		m.DepositState = "Recibimos tu depósito de " + in(d.Amount) + " el " + format.Date(d.ReceivedAt.In(p.Timezone)) + "."
		if d.SettledAt != nil {
			m.DepositState = "Te devolvimos " + in(d.Returned) + " del depósito el " + format.Date(d.SettledAt.In(p.Timezone)) + "."
			if d.Deducted > 0 {
				m.DepositState = "Te devolvimos " + in(d.Returned) + " del depósito el " +
					format.Date(d.SettledAt.In(p.Timezone)) + "; se descontaron " + in(d.Deducted) + "."
			}
			m.DepositNote = d.Note
		}
	}
	for _, ln := range ledgerLines(l, p.Timezone) {
		m.Rows = append(m.Rows, guest.MoneyRow{When: ln.When, What: ln.What, Method: ln.Method, Status: ln.Status,
			Amount: ln.Amount, In: ln.In, Out: ln.Out})
	}
	if m.DepositTerms == "" && len(m.Rows) == 0 {
		return nil, nil
	}
	return m, nil
}
