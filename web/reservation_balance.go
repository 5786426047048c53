package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	resviews "alojamientos/views/reservations"
)

// balanceView says on the reservation page when a confirmed stay's balance
// is due, and offers the cash form prefilled with it when the property takes
// cash on arrival.
func (s *Server) balanceView(c echo.Context, r dbq.Reservation) (resviews.BalanceView, error) {
	p, err := s.booking.LoadProperty(c.Request().Context(), r.PropertyID)
	if err != nil {
		return resviews.BalanceView{}, fmt.Errorf("web: reservation %s: property: %w", r.Code, err)
	}
	plan, ok := booking.PlanBalanceOf(r, p.Pay)
	if !ok {
		return resviews.BalanceView{}, nil
	}
	today := booking.LocalDate(s.clock.Now(), p.Timezone)
	v := resviews.BalanceView{Due: longDate(plan.Due)}
	switch {
	case plan.Due.Before(today):
		v.Overdue, v.Note = true, "vencido"
	case plan.AtArrival:
		v.Note = "al llegar"
	}
	if plan.Cash {
		v.CashAmount = plan.Balance.Display()
	}
	return v, nil
}
