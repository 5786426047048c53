package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/whatsapp/cloudapi"
)

// composeBalance writes the reminder of a stay's balance (three days before
// it is due) with the ways the property takes it. A balance paid meanwhile,
// or a stay cancelled, is not reminded.
func (s *Service) composeBalance(ctx context.Context, r dbq.GetReservationForNoticeRow, name, page string,
	tpl func(...string) *cloudapi.Outgoing) (*cloudapi.Outgoing, *cloudapi.Outgoing, error) {
	res, err := s.Booking.Get(ctx, r.Code)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Booking.LoadProperty(ctx, res.PropertyID)
	if err != nil {
		return nil, nil, err
	}
	plan, ok := booking.PlanBalance(res, p.Pay)
	if !ok || res.Status != booking.StatusConfirmed {
		return nil, nil, errors.New("la reserva no tiene saldo pendiente")
	}
	balance := format.AmountBrief(money.In(plan.Balance, plan.Currency))
	due := format.Date(plan.Due)
	if plan.AtArrival {
		due += " (al llegar)"
	}
	ways := BalanceWays(plan, r.Code)
	body := fmt.Sprintf("Hola %s, te recordamos que el saldo de tu reserva %s en %s (%s) es de *%s* y vence el %s.\n"+
		"Podés pagarlo:\n%s\nTu reserva: %s",
		name, r.Code, r.PropertyName, format.Stay(r.CheckIn, r.CheckOut), balance, due, ways, page)
	oneLine := strings.ReplaceAll(strings.ReplaceAll(ways, "\n", "; "), "• ", "")
	return &cloudapi.Outgoing{Kind: "text", Body: body}, tpl(name, r.Code, balance, due, oneLine, page), nil
}

// BalanceWays lists, one per line, the ways a balance may be paid.
func BalanceWays(plan booking.BalancePlan, code string) string {
	var lines []string
	if plan.MercadoPago {
		lines = append(lines, "• con Mercado Pago, desde el link de tu reserva")
	}
	if a := plan.Transfer; a != nil {
		to := []string{}
		if a.CBU != "" {
			to = append(to, "CBU/CVU "+a.CBU)
		}
		if a.Alias != "" {
			to = append(to, "alias "+a.Alias)
		}
		line := "• por transferencia a " + strings.Join(to, " o ") + ", a nombre de " + a.Holder
		if a.CUIT != "" {
			line += " (CUIT " + a.CUIT + ")"
		}
		if a.Bank != "" {
			line += ", " + a.Bank
		}
		if plan.TransferPesos > 0 {
			line += ", por " + format.AmountBrief(money.In(plan.TransferPesos, booking.PesoCurrency)) +
				" al tipo de cambio de tu reserva"
		}
		lines = append(lines, line+"; poné "+code+" como referencia")
	}
	if plan.Cash {
		lines = append(lines, "• en efectivo al llegar")
	}
	if len(lines) == 0 {
		lines = append(lines, "• como acuerdes con el alojamiento")
	}
	return strings.Join(lines, "\n")
}
