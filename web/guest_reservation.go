package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/views/guest"
	"alojamientos/views/layout"
)

var guestStatusLabels = map[booking.Status]string{
	booking.StatusPreReserved: "Reserva pendiente de seña",
	booking.StatusConfirmed:   "Reserva confirmada",
	booking.StatusCheckedIn:   "Estadía en curso",
	booking.StatusCompleted:   "Estadía finalizada",
	booking.StatusExpired:     "Reserva vencida",
	booking.StatusCancelled:   "Reserva cancelada",
	booking.StatusNoShow:      "Reserva cancelada por no presentarse",
}

// guestReservationPage is the guest's page for their reservation (the link
// with the token is the only key to it).
func (s *Server) guestReservationPage(c echo.Context) error {
	vm, err := s.reservationView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, guest.Reservation(vm))
}

// guestReservationStatus is the part of that page that refreshes itself.
func (s *Server) guestReservationStatus(c echo.Context) error {
	vm, err := s.reservationView(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, guest.Status(vm))
}

func (s *Server) reservationView(c echo.Context) (guest.ReservationView, error) {
	r, err := s.guestReservation(c)
	if err != nil {
		return guest.ReservationView{}, err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	// Nobody else should see or index this page, including through the Referer.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	ctx := c.Request().Context()
	p, err := s.booking.LoadProperty(ctx, r.PropertyID)
	if err != nil {
		return guest.ReservationView{}, fmt.Errorf("web: reservation page: %w", err)
	}
	now := s.clock.Now()
	token := c.QueryParam("t")
	vm := guest.ReservationView{
		Meta: layout.GuestMeta{Title: "Tu reserva en " + r.PropertyName, CSRF: csrfToken(c)},
		Code: r.Code, Status: string(r.Status), StatusLabel: guestStatusLabels[r.Status],
		PropertyName: r.PropertyName, PropertyURL: "/p/" + r.PropertySlug, CheckIn: format.Date(r.CheckIn),
		CheckOut: format.Date(r.CheckOut), NightsLabel: format.Nights(r.Nights()), Guests: r.Guests,
		GuestName: r.GuestName, Total: format.Amount(money.In(r.Total, r.Currency)),
		Deposit: format.Amount(money.In(r.Deposit, r.Currency)), Paid: format.Amount(money.In(r.Paid, r.Currency)),
		StatusURL: booking.GuestPath(r.Code, token, "status"),
		// A foreign-currency stay in pesos, at the rate locked on its hold.
		TotalARS: pesoEquivalent(r.Rate, r.Total, p.Timezone), DepositARS: pesoEquivalent(r.Rate, r.Deposit, p.Timezone),
	}
	if booking.HoldLive(r.Status, r.HoldExpiresAt, now) {
		vm.Pending = true
		left := r.HoldExpiresAt.Sub(now).Round(time.Second)
		vm.TimeLeft = fmt.Sprintf("%d:%02d", int(left.Minutes()), int(left.Seconds())%60)
		if left >= time.Hour {
			// A hold extended while a receipt is reviewed lasts hours.
			vm.TimeLeft = fmt.Sprintf("%d:%02d:%02d", int(left.Hours()), int(left.Minutes())%60, int(left.Seconds())%60)
		}
		vm.ExpiresAt = format.DateAt(*r.HoldExpiresAt, p.Timezone)
	} else if r.Status == booking.StatusPreReserved {
		// Past its time but not yet swept: to the guest it is over.
		vm.Status, vm.StatusLabel = string(booking.StatusExpired), guestStatusLabels[booking.StatusExpired]
	}
	if err := s.payView(c, r, p, &vm); err != nil {
		return guest.ReservationView{}, err
	}
	if vm.Terms, err = s.reservationTerms(ctx, r, vm.Pending || r.Status == booking.StatusConfirmed); err != nil {
		return guest.ReservationView{}, err
	}
	if vm.Cancel, err = s.guestCancelView(ctx, r, token); err != nil {
		return guest.ReservationView{}, err
	}
	if vm.Money, err = s.guestMoney(ctx, r, p); err != nil {
		return guest.ReservationView{}, err
	}
	if r.Status == booking.StatusConfirmed || r.Status == booking.StatusCheckedIn {
		vm.Confirmed = true
		if row, err := db.Q(s.pool).GetPublicProperty(ctx, r.PropertySlug); err == nil {
			vm.CheckInTime, vm.CheckOutTime, vm.Location, vm.HouseRules = row.CheckInTime, row.CheckOutTime, row.Location, row.HouseRules
		}
		vm.Balance = s.guestBalanceView(r, p, token)
		if b := vm.Balance; b != nil && b.Transfer != nil && vm.Pay.Transfer != nil {
			// One account on the page: the transfer box above has it, with the receipt form.
			b.Transfer, b.TransferAbove = nil, true
		}
	}
	return vm, nil
}
