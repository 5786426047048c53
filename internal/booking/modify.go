package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// ActionChangeStay names a change of dates or property in TransitionError and the audit log.
const ActionChangeStay = "change_stay"

// stayJSON is one side of a stay change in the audit log.
type stayJSON struct {
	PropertyID int64  `json:"property_id"`
	CheckIn    string `json:"check_in"`
	CheckOut   string `json:"check_out"`
	Total      string `json:"total"`
	Deposit    string `json:"deposit"`
}

// ChangeStay moves reservation reservationID of accountID to [checkIn,
// checkOut) at propertyID (the same property or another of the account). In
// one transaction it locks the reservation, checks that it is pre-reserved or
// confirmed, validates the stay with the rules every hold goes through
// (ValidStay and Price), moves the reservation's occupancy row and re-prices
// the reservation, with an audit entry holding the old and new stay.
//
// The EXCLUDE constraint decides: nights taken by anything else are
// ErrDateOverlap and nothing changes. A property of another account is a
// *ValidationError on property_id; a reservation of another account is ErrNotFound.
func (s *Service) ChangeStay(ctx context.Context, reservationID, accountID, propertyID int64, checkIn, checkOut, actor string) (Reservation, error) {
	p, err := s.stayTarget(ctx, accountID, propertyID)
	if err != nil {
		return Reservation{}, err
	}
	now := s.Clock.Now().UTC()
	var out dbq.Reservation
	err = s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		cur, err := lockReservation(ctx, q, reservationID, accountID)
		if err != nil {
			return err
		}
		ci, co, err := s.checkStayChange(p, cur, checkIn, checkOut)
		if err != nil {
			return err
		}
		out, err = moveStay(ctx, q, cur, p, ci, co, actor, now)
		return err
	})
	var verr *ValidationError
	var terr *TransitionError
	switch {
	case err == nil:
	case db.IsExclusion(err):
		return Reservation{}, ErrDateOverlap
	case errors.Is(err, ErrNotFound), errors.As(err, &verr), errors.As(err, &terr):
		return Reservation{}, err
	default:
		return Reservation{}, fmt.Errorf("booking: change stay of reservation %d: %w", reservationID, err)
	}
	r := fromRow(out)
	r.PropertyName, r.PropertySlug = p.Name, p.Slug
	return r, nil
}

// stayTarget loads the property a stay moves to. None, or one of another
// account, is the same field error: the form does not reveal it exists.
func (s *Service) stayTarget(ctx context.Context, accountID, propertyID int64) (Property, error) {
	badProperty := &ValidationError{Fields: map[string]string{"property_id": "Elegí un alojamiento de tu cuenta."}}
	if propertyID <= 0 {
		return Property{}, badProperty
	}
	p, err := s.LoadProperty(ctx, propertyID)
	if errors.Is(err, ErrNotFound) || (err == nil && p.AccountID != accountID) {
		return Property{}, badProperty
	}
	return p, err
}

// checkStayChange says whether cur may move to [checkIn, checkOut) at p: it
// must be pre-reserved or confirmed (else a *TransitionError), and the new
// stay must pass the rules every hold goes through (ValidStay) and differ
// from the current one (else a *ValidationError). It reads nothing: whether
// the nights are free is the constraint's question, asked by moveStay.
func (s *Service) checkStayChange(p Property, cur dbq.Reservation, checkIn, checkOut string) (time.Time, time.Time, error) {
	if !Changeable(Status(cur.Status)) {
		return time.Time{}, time.Time{}, &TransitionError{Action: ActionChangeStay, From: Status(cur.Status)}
	}
	var verr ValidationError
	if !p.Active && p.ID != cur.PropertyID {
		verr.add("property_id", "Ese alojamiento está dado de baja.")
	}
	if p.Rules.Currency != cur.Currency {
		verr.add("property_id", currencyChangeMessage(p.Rules.Currency, cur.Currency))
	}
	ci, co, ok := s.ValidStay(p, checkIn, checkOut, int(cur.Guests), &verr)
	if msg, bad := verr.Fields["guests"]; bad {
		// The guest count is not on this form: say it in terms of the property chosen.
		delete(verr.Fields, "guests")
		verr.add("property_id", "La reserva es para "+fmt.Sprint(cur.Guests)+" huéspedes. "+msg)
	}
	if !ok || len(verr.Fields) > 0 {
		return time.Time{}, time.Time{}, &verr
	}
	if p.ID == cur.PropertyID && ci.Equal(cur.CheckIn) && co.Equal(cur.CheckOut) {
		verr.add("check_in", "Elegí fechas o un alojamiento distintos de los actuales.")
		return time.Time{}, time.Time{}, &verr
	}
	return ci, co, nil
}

// currencyChangeMessage says why a reservation cannot be re-priced at a
// property that now charges in another currency: its amounts (and what was
// paid) are in the currency it was held in, never converted silently.
func currencyChangeMessage(property, reservation string) string {
	return fmt.Sprintf("Ese alojamiento cobra en %s y esta reserva está en %s: no se puede recalcular su precio en otra moneda.",
		property, reservation)
}

// moveStay prices cur's guests at p for [ci, co), moves its occupancy row
// there (nights taken by anything else are the constraint's exclusion error)
// and stores the new stay and price, with an audit entry holding the old and
// the new stay.
func moveStay(ctx context.Context, q *dbq.Queries, cur dbq.Reservation, p Property, ci, co time.Time, actor string, now time.Time) (dbq.Reservation, error) {
	quote, err := Price(p.Rules, p.Seasons, ci, co, int(cur.Guests))
	if err != nil {
		return dbq.Reservation{}, err
	}
	price, err := encodePrice(quote)
	if err != nil {
		return dbq.Reservation{}, err
	}
	n, err := q.MoveOccupancy(ctx, dbq.MoveOccupancyParams{PropertyID: p.ID, CheckIn: ci, CheckOut: co, ID: cur.OccupancyID})
	if err != nil {
		return dbq.Reservation{}, err
	}
	if n != 1 {
		return dbq.Reservation{}, fmt.Errorf("occupancy %d of a %s reservation is not active", cur.OccupancyID, cur.Status)
	}
	out, err := q.SetReservationStay(ctx, dbq.SetReservationStayParams{
		PropertyID: p.ID, CheckIn: ci, CheckOut: co, Total: quote.Total, Deposit: quote.Deposit,
		PriceBreakdown: price, Now: now, ID: cur.ID,
	})
	if err != nil {
		return dbq.Reservation{}, err
	}
	return out, audit(ctx, q, cur, actor, ActionChangeStay, map[string]stayJSON{
		"from": {PropertyID: cur.PropertyID, CheckIn: FormatDate(cur.CheckIn), CheckOut: FormatDate(cur.CheckOut),
			Total: cur.Total.String(), Deposit: cur.Deposit.String()},
		"to": {PropertyID: p.ID, CheckIn: FormatDate(ci), CheckOut: FormatDate(co),
			Total: quote.Total.String(), Deposit: quote.Deposit.String()},
	}, now)
}
