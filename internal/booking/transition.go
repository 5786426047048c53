package booking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// Action is a move in the reservation state machine.
type Action string

// The actions of DESIGN.md's state machine. Expiry has its own path (Expire).
const (
	ActionConfirm  Action = "confirm"
	ActionCancel   Action = "cancel"
	ActionCheckIn  Action = "check_in"
	ActionComplete Action = "complete"
	ActionNoShow   Action = "no_show"
)

type transition struct {
	from    []Status
	to      Status
	release bool // the nights become free again
}

var transitions = map[Action]transition{
	// Confirming an expired hold (a payment that arrived late) takes its nights
	// back if the constraint still allows it.
	ActionConfirm:  {from: []Status{StatusPreReserved, StatusExpired}, to: StatusConfirmed},
	ActionCancel:   {from: []Status{StatusPreReserved, StatusConfirmed}, to: StatusCancelled, release: true},
	ActionCheckIn:  {from: []Status{StatusConfirmed}, to: StatusCheckedIn},
	ActionComplete: {from: []Status{StatusCheckedIn}, to: StatusCompleted},
	// A no-show frees the nights so the owner can sell what is left of them.
	ActionNoShow: {from: []Status{StatusConfirmed}, to: StatusNoShow, release: true},
}

// Transition moves reservation id by action in one transaction, with its
// audit entry. An action the current state does not allow is a
// *TransitionError; confirming an expired hold whose nights were taken
// meanwhile is ErrDateOverlap.
func (s *Service) Transition(ctx context.Context, id int64, action Action, actor, note string) (Reservation, error) {
	t, ok := transitions[action]
	if !ok {
		return Reservation{}, fmt.Errorf("booking: unknown action %q", action)
	}
	var stale []string
	if action == ActionConfirm {
		stale = s.refreshBeforeConfirm(ctx, id)
	}
	now := s.Clock.Now().UTC()
	var out dbq.Reservation
	err := s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		cur, err := q.GetReservationForUpdate(ctx, id)
		if errors.Is(err, db.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		from := Status(cur.Status)
		allowed := false
		for _, f := range t.from {
			allowed = allowed || f == from
		}
		if !allowed {
			return &TransitionError{Action: string(action), From: from}
		}
		if action == ActionConfirm && from == StatusExpired {
			if _, err := q.ReactivateOccupancy(ctx, cur.OccupancyID); err != nil {
				return err
			}
		}
		if t.release {
			if _, err := q.ReleaseOccupancy(ctx, dbq.ReleaseOccupancyParams{ID: cur.OccupancyID, Now: now}); err != nil {
				return err
			}
		}
		out, err = q.SetReservationStatus(ctx, dbq.SetReservationStatusParams{ID: id, Status: string(t.to), Now: now})
		if err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]string{"from": string(from), "to": string(t.to), "note": note})
		return q.InsertAudit(ctx, dbq.InsertAuditParams{
			AccountID: cur.AccountID, ReservationID: &cur.ID, Actor: actor, Action: string(action), Detail: detail, Now: now,
		})
	})
	switch {
	case err == nil:
	case db.IsExclusion(err):
		return Reservation{}, ErrDateOverlap
	case errors.Is(err, ErrNotFound):
		return Reservation{}, err
	default:
		var terr *TransitionError
		if errors.As(err, &terr) {
			return Reservation{}, err
		}
		return Reservation{}, fmt.Errorf("booking: %s reservation %d: %w", action, id, err)
	}
	switch action {
	case ActionConfirm:
		s.Metrics.ReservationsConfirm.Inc()
		s.RecordFeedRisk(ctx, fromRow(out), stale)
	case ActionCancel:
		s.Metrics.ReservationsCancel.Inc()
	}
	return fromRow(out), nil
}

// ExpireHold expires one hold if it is still a hold and its time has come.
// It reports whether it did; running it twice is harmless.
func (s *Service) ExpireHold(ctx context.Context, id int64) (bool, error) {
	rows, err := s.expire(ctx, &id)
	return len(rows) == 1, err
}

// ExpireDue expires every hold whose time has come and returns their codes.
func (s *Service) ExpireDue(ctx context.Context) ([]string, error) {
	rows, err := s.expire(ctx, nil)
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	return codes, err
}

func (s *Service) expire(ctx context.Context, only *int64) ([]dbq.ExpireHoldsRow, error) {
	now := s.Clock.Now().UTC()
	var rows []dbq.ExpireHoldsRow
	err := s.inTx(ctx, func(tx db.Tx) error {
		var err error
		rows, err = db.Q(tx).ExpireHolds(ctx, dbq.ExpireHoldsParams{Now: now, OnlyID: only})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("booking: expire holds: %w", err)
	}
	for _, r := range rows {
		s.Metrics.ReservationsExpired.Inc()
		s.Log.Info("hold expired", "code", r.Code, "channel", r.Channel)
	}
	return rows, nil
}
