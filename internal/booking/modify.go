package booking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

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
	badProperty := &ValidationError{Fields: map[string]string{"property_id": "Elegí un alojamiento de tu cuenta."}}
	if propertyID <= 0 {
		return Reservation{}, badProperty
	}
	p, err := s.LoadProperty(ctx, propertyID)
	if errors.Is(err, ErrNotFound) || (err == nil && p.AccountID != accountID) {
		return Reservation{}, badProperty
	}
	if err != nil {
		return Reservation{}, err
	}
	now := s.Clock.Now().UTC()
	var out dbq.Reservation
	err = s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		cur, err := q.GetReservationForUpdate(ctx, reservationID)
		if errors.Is(err, db.ErrNotFound) || (err == nil && cur.AccountID != accountID) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !Changeable(Status(cur.Status)) {
			return &TransitionError{Action: ActionChangeStay, From: Status(cur.Status)}
		}
		var verr ValidationError
		if !p.Active && p.ID != cur.PropertyID {
			verr.add("property_id", "Ese alojamiento está dado de baja.")
		}
		ci, co, ok := s.ValidStay(p, checkIn, checkOut, int(cur.Guests), &verr)
		if msg, bad := verr.Fields["guests"]; bad {
			// The guest count is not on this form: say it in terms of the property chosen.
			delete(verr.Fields, "guests")
			verr.add("property_id", "La reserva es para "+fmt.Sprint(cur.Guests)+" huéspedes. "+msg)
		}
		if !ok || len(verr.Fields) > 0 {
			return &verr
		}
		if p.ID == cur.PropertyID && ci.Equal(cur.CheckIn) && co.Equal(cur.CheckOut) {
			verr.add("check_in", "Elegí fechas o un alojamiento distintos de los actuales.")
			return &verr
		}
		quote, err := Price(p.Rules, p.Seasons, ci, co, int(cur.Guests))
		if err != nil {
			return err
		}
		price, err := encodePrice(quote)
		if err != nil {
			return err
		}
		n, err := q.MoveOccupancy(ctx, dbq.MoveOccupancyParams{PropertyID: p.ID, CheckIn: ci, CheckOut: co, ID: cur.OccupancyID})
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("occupancy %d of a %s reservation is not active", cur.OccupancyID, cur.Status)
		}
		out, err = q.SetReservationStay(ctx, dbq.SetReservationStayParams{
			PropertyID: p.ID, CheckIn: ci, CheckOut: co, Total: quote.Total, Deposit: quote.Deposit,
			PriceBreakdown: price, Now: now, ID: cur.ID,
		})
		if err != nil {
			return err
		}
		detail, err := json.Marshal(map[string]stayJSON{
			"from": {PropertyID: cur.PropertyID, CheckIn: FormatDate(cur.CheckIn), CheckOut: FormatDate(cur.CheckOut),
				Total: cur.Total.String(), Deposit: cur.Deposit.String()},
			"to": {PropertyID: p.ID, CheckIn: FormatDate(ci), CheckOut: FormatDate(co),
				Total: quote.Total.String(), Deposit: quote.Deposit.String()},
		})
		if err != nil {
			return err
		}
		return q.InsertAudit(ctx, dbq.InsertAuditParams{
			AccountID: cur.AccountID, ReservationID: &cur.ID, Actor: actor, Action: ActionChangeStay, Detail: detail, Now: now,
		})
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
