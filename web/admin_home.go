package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/stats"
	"alojamientos/views/home"
	"alojamientos/views/reports"
)

// holdsSoon is how far ahead the home page looks for holds about to expire.
const holdsSoon = 2 * time.Hour

// balancesSoon is how many days ahead the home page lists balances due.
const balancesSoon = 7

// adminHome is the owner's morning page: today's arrivals and departures,
// holds about to expire, open conflicts, this month and the next, and the
// latest activity. All in the account's timezone, in a fixed number of queries.
// Long: one read per card, in the order the page shows them; each card with
// more to it has its own file (home_receipts.go, home_deposits.go).
func (s *Server) adminHome(c echo.Context) error {
	u := currentUser(c)
	ctx := c.Request().Context()
	loc := s.booking.Locations.Get(u.Timezone)
	now := s.clock.Now()
	today := booking.LocalDate(now, loc)
	q := db.Q(s.pool)

	moves, err := q.HomeMovements(ctx, dbq.HomeMovementsParams{AccountID: u.AccountID, Today: today})
	if err != nil {
		return fmt.Errorf("web: home movements: %w", err)
	}
	holds, err := q.HomeExpiringHolds(ctx, dbq.HomeExpiringHoldsParams{AccountID: u.AccountID, Now: now, Until: now.Add(holdsSoon)})
	if err != nil {
		return fmt.Errorf("web: home holds: %w", err)
	}
	dues, err := q.HomeBalancesDue(ctx, dbq.HomeBalancesDueParams{AccountID: u.AccountID, Until: today.AddDate(0, 0, balancesSoon)})
	if err != nil {
		return fmt.Errorf("web: home balances: %w", err)
	}
	conflicts, err := q.HomeOpenConflicts(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("web: home conflicts: %w", err)
	}
	activity, err := q.HomeRecentActivity(ctx, u.AccountID)
	if err != nil {
		return fmt.Errorf("web: home activity: %w", err)
	}
	in, err := stats.Load(ctx, s.pool, u.AccountID, stats.ThisAndNext(today))
	if err != nil {
		return err
	}

	vm := home.View{Today: format.Weekday(today) + " " + format.Date(today), IsOwner: u.IsOwner()}
	if err := s.homeCards(ctx, &vm, u.AccountID, loc, now); err != nil {
		return err
	}
	if vm.Deposits, err = s.homeDeposits(ctx, u.AccountID, today); err != nil {
		return err
	}
	for _, m := range moves {
		if m.CheckIn.Equal(today) {
			vm.Arrivals = append(vm.Arrivals, homeMovement(m, true))
		}
		if m.CheckOut.Equal(today) {
			vm.Departures = append(vm.Departures, homeMovement(m, false))
		}
	}
	for _, h := range holds {
		vm.Holds = append(vm.Holds, home.Hold{
			Property: h.PropertyName, Guest: h.GuestName, URL: reservationURL(h.Code),
			Dates: format.Date(h.CheckIn) + " al " + format.Date(h.CheckOut), Total: format.Amount(money.In(h.Total, h.Currency)),
			ExpiresAt:   h.HoldExpiresAt.In(loc).Format("15:04"),
			MinutesLeft: int(math.Ceil(h.HoldExpiresAt.Sub(now).Minutes())),
		})
	}
	for _, b := range dues {
		vm.Balances = append(vm.Balances, homeBalance(b, today))
	}
	for _, cf := range conflicts {
		hc := home.Conflict{Kind: home.ConflictKindLabel(cf.Kind), Detail: cf.Detail, Property: homeText(cf.PropertyName),
			When: format.DateTime(cf.CreatedAt, loc)}
		if cf.ReservationCode != nil {
			hc.Code, hc.URL = *cf.ReservationCode, reservationURL(*cf.ReservationCode)
		}
		vm.Conflicts = append(vm.Conflicts, hc)
		vm.MoreConflicts = int(cf.OpenCount) - len(conflicts)
	}
	homeOccupancy(&vm, stats.Build(in))
	for _, a := range activity {
		ha := home.Activity{When: format.DateTime(a.CreatedAt, loc), Description: home.ActionLabel(a.Action),
			Actor: home.ActorLabel(a.Actor, a.UserName), Guest: homeText(a.GuestName), Property: homeText(a.PropertyName)}
		if a.ReservationCode != nil {
			ha.Code, ha.URL = *a.ReservationCode, reservationURL(*a.ReservationCode)
		}
		vm.Activity = append(vm.Activity, ha)
	}
	return s.render(c, http.StatusOK, home.Page(s.adminPage(c, "Inicio", "inicio"), vm))
}

// homeBalance is a balance to collect, told as due or overdue in words (and colour).
func homeBalance(b dbq.HomeBalancesDueRow, today time.Time) home.Balance {
	hb := home.Balance{Guest: b.GuestName, URL: reservationURL(b.Code), Code: b.Code, Property: b.PropertyName,
		Dates:  format.Date(b.CheckIn) + " al " + format.Date(b.CheckOut),
		Amount: format.Amount(money.In(b.Total-b.Paid, b.Currency)), Cash: b.PayCash}
	switch {
	case b.DueOn.Before(today):
		hb.Overdue, hb.Due = true, "vencido el "+format.Date(b.DueOn)
	case b.DueOn.Equal(today):
		hb.Due = "vence hoy"
	default:
		hb.Due = "vence el " + format.Date(b.DueOn)
	}
	return hb
}

func homeMovement(m dbq.HomeMovementsRow, arrival bool) home.Movement {
	state := map[string]string{"confirmed": "Por salir", "checked_in": "Por salir", "completed": "Salió"}[m.Status]
	if arrival {
		state = map[string]string{"confirmed": "Por llegar", "checked_in": "Llegó"}[m.Status]
	}
	return home.Movement{Property: m.PropertyName, Guest: m.GuestName, Guests: int(m.Guests),
		Nights: format.Nights(booking.NightsBetween(m.CheckIn, m.CheckOut)), Phone: m.GuestPhone,
		PhoneURL: "tel:" + m.GuestPhone, URL: reservationURL(m.Code), State: state, StateClass: m.Status}
}

// homeOccupancy fills the table of this month and the next.
func homeOccupancy(vm *home.View, r stats.Report) {
	vm.HasProperties = len(r.Properties) > 0
	for _, m := range r.Months {
		vm.Months = append(vm.Months, format.Month(m))
	}
	cell := func(f stats.Figures) home.OccupancyCell {
		return home.OccupancyCell{Occupancy: sharePercent(f, f.Occupancy()), Blocked: sharePercent(f, f.BlockedPercent()),
			Revenue: revenueText(f.Revenue, r.Main)}
	}
	for _, p := range r.Properties {
		row := home.OccupancyRow{Name: p.Property.Name}
		for _, f := range p.Months {
			row.Cells = append(row.Cells, cell(f))
		}
		vm.Occupancy = append(vm.Occupancy, row)
	}
	vm.Total = home.OccupancyRow{Name: "Total"}
	for _, f := range r.MonthTotal {
		vm.Total.Cells = append(vm.Total.Cells, cell(f))
	}
}

// sharePercent writes a share of f's capacity, or a dash when there was nothing to sell.
func sharePercent(f stats.Figures, pct int) string {
	if f.Capacity == 0 {
		return "—"
	}
	return reports.Percent(pct)
}

// homeText reads a column a LEFT JOIN may leave NULL.
func homeText(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
