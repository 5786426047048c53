package assistant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// State is what the assistant remembers of a chat between messages.
type State struct {
	Step     string   `json:"step,omitempty"` // "", ask_dates, ask_guests, choose, ask_name, cancel_which, confirm_cancel
	CheckIn  string   `json:"check_in,omitempty"`
	CheckOut string   `json:"check_out,omitempty"`
	Guests   int      `json:"guests,omitempty"`
	Name     string   `json:"name,omitempty"`
	Options  []Option `json:"options,omitempty"`
	Chosen   int64    `json:"chosen,omitempty"`
	Misses   int      `json:"misses,omitempty"` // messages in a row not understood
	// CancelCodes are the bookings offered for cancellation (cancel_which);
	// CancelCode and CancelRefund the one awaiting "sí" and the refund told (confirm_cancel).
	CancelCodes  []string  `json:"cancel_codes,omitempty"`
	CancelCode   string    `json:"cancel_code,omitempty"`
	CancelRefund string    `json:"cancel_refund,omitempty"`
	Expires      time.Time `json:"expires"`
}

// Option is one property offered for the asked stay.
type Option struct {
	PropertyID int64  `json:"property_id"`
	Name       string `json:"name"`
	Total      string `json:"total"`
	Deposit    string `json:"deposit"`
	// Pesos is the total in pesos at today's rate for a foreign-currency
	// stay ("$ 284.520"), empty for pesos or when the account has no rate.
	Pesos string `json:"pesos,omitempty"`
}

// total is the option's price as the chat writes it, with its peso
// equivalent when it has one: "US$ 240 (≈ $ 284.520)".
func (o Option) total() string {
	if o.Pesos == "" {
		return o.Total
	}
	return o.Total + " (≈ " + o.Pesos + ")"
}

// The chat's State lives in PostgreSQL (wa_state) and is read and written on
// the transaction that holds the chat's lock, the same one that records the
// message and queues the answer. The next message of the chat waits for that
// lock, so it always sees the state its predecessor left, and a turn that
// fails leaves neither its answer nor its state behind: the retried job
// does both again. (A Redis copy written after the commit could be read
// stale by the next message, or lost with nothing retrying it.)

// The expiry is checked against the clock as well as in SQL, so an abandoned
// chat starts over exactly when the clock says.
func fresh(st State, now time.Time) State {
	if st.Expires.IsZero() || !now.Before(st.Expires) {
		return State{}
	}
	return st
}

// LoadState reads a chat's state on conn (the chat's transaction, holding its lock).
func (a *Assistant) LoadState(ctx context.Context, conn dbq.DBTX, id int64) (State, error) {
	b, err := db.Q(conn).GetWAState(ctx, dbq.GetWAStateParams{ConversationID: id, Now: a.Clock.Now().UTC()})
	if errors.Is(err, db.ErrNotFound) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("assistant: load state: %w", err)
	}
	var st State
	if json.Unmarshal(b, &st) != nil {
		return State{}, nil
	}
	return fresh(st, a.Clock.Now()), nil
}

// SaveState writes a chat's state on conn; a state without a future expiry is deleted.
func (a *Assistant) SaveState(ctx context.Context, conn dbq.DBTX, id int64, st State) error {
	q := db.Q(conn)
	if !a.Clock.Now().Before(st.Expires) {
		if err := q.DeleteWAState(ctx, id); err != nil {
			return fmt.Errorf("assistant: clear state: %w", err)
		}
		return nil
	}
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("assistant: encode state: %w", err)
	}
	if err := q.SaveWAState(ctx, dbq.SaveWAStateParams{ConversationID: id, State: b, ExpiresAt: st.Expires.UTC()}); err != nil {
		return fmt.Errorf("assistant: save state: %w", err)
	}
	return nil
}
