package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// State is what the assistant remembers of a chat between messages.
type State struct {
	Step     string    `json:"step,omitempty"` // "", ask_dates, ask_guests, choose, ask_name
	CheckIn  string    `json:"check_in,omitempty"`
	CheckOut string    `json:"check_out,omitempty"`
	Guests   int       `json:"guests,omitempty"`
	Name     string    `json:"name,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	Chosen   int64     `json:"chosen,omitempty"`
	Misses   int       `json:"misses,omitempty"` // messages in a row not understood
	Expires  time.Time `json:"expires"`
}

// Option is one property offered for the asked stay.
type Option struct {
	PropertyID int64  `json:"property_id"`
	Name       string `json:"name"`
	Total      string `json:"total"`
	Deposit    string `json:"deposit"`
}

// StateStore keeps State per conversation with a time to live.
type StateStore interface {
	Load(ctx context.Context, conversationID int64) (State, error)
	Save(ctx context.Context, conversationID int64, st State) error
	Clear(ctx context.Context, conversationID int64) error
}

// NewStateStore uses Redis when shared state is Redis, PostgreSQL otherwise
// (in-process memory would forget on restart and differ between instances).
func NewStateStore(shared platform.Shared, db booking.DB, clock platform.Clock) StateStore {
	if shared != nil && shared.Mode() == "redis" {
		return &sharedState{shared: shared, clock: clock}
	}
	return &pgState{db: db, clock: clock}
}

// The expiry is checked against the clock as well as left to the store, so an
// abandoned chat starts over at the same moment whichever store is used.
func fresh(st State, now time.Time) State {
	if st.Expires.IsZero() || !now.Before(st.Expires) {
		return State{}
	}
	return st
}

type sharedState struct {
	shared platform.Shared
	clock  platform.Clock
}

func stateKey(id int64) string { return "wa:state:" + strconv.FormatInt(id, 10) }

func (s *sharedState) Load(ctx context.Context, id int64) (State, error) {
	b, ok, err := s.shared.GetValue(ctx, stateKey(id))
	if err != nil || !ok {
		return State{}, err
	}
	var st State
	if json.Unmarshal(b, &st) != nil {
		return State{}, nil
	}
	return fresh(st, s.clock.Now()), nil
}

func (s *sharedState) Save(ctx context.Context, id int64, st State) error {
	b, _ := json.Marshal(st)
	ttl := st.Expires.Sub(s.clock.Now())
	if ttl <= 0 {
		return s.Clear(ctx, id)
	}
	// Redis keeps it a little longer than the clock says: the clock decides.
	return s.shared.SetValue(ctx, stateKey(id), b, ttl+time.Minute)
}

func (s *sharedState) Clear(ctx context.Context, id int64) error {
	return s.shared.DeleteValue(ctx, stateKey(id))
}

type pgState struct {
	db    booking.DB
	clock platform.Clock
}

func (s *pgState) Load(ctx context.Context, id int64) (State, error) {
	b, err := dbq.New(s.db).GetWAState(ctx, dbq.GetWAStateParams{ConversationID: id, Now: s.clock.Now().UTC()})
	if errors.Is(err, pgx.ErrNoRows) {
		return State{}, nil
	}
	if err != nil {
		return State{}, fmt.Errorf("whatsapp: load state: %w", err)
	}
	var st State
	if json.Unmarshal(b, &st) != nil {
		return State{}, nil
	}
	return fresh(st, s.clock.Now()), nil
}

func (s *pgState) Save(ctx context.Context, id int64, st State) error {
	b, _ := json.Marshal(st)
	return dbq.New(s.db).SaveWAState(ctx, dbq.SaveWAStateParams{ConversationID: id, State: b, ExpiresAt: st.Expires.UTC()})
}

func (s *pgState) Clear(ctx context.Context, id int64) error {
	return dbq.New(s.db).DeleteWAState(ctx, id)
}
