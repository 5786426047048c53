package booking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
)

// DB is what the service needs from PostgreSQL: a pool, or a transaction in
// tests (db.Tx.Begin opens a savepoint), so the same code runs in both.
type DB interface {
	dbq.DBTX
	Begin(ctx context.Context) (db.Tx, error)
}

// Service is the booking core. Build it in main; every field is required.
type Service struct {
	DB        DB
	Clock     platform.Clock
	Metrics   *platform.Metrics
	Log       *slog.Logger
	Locations *Locations
	// Properties caches LoadProperty; nil loads every time.
	Properties *PropertyCache
	// Feeds refreshes channel calendars just before nights are taken; nil: no channel sync.
	Feeds FeedRefresher
	// PaymentLinks enqueues the Mercado Pago deposit link's job with every
	// hold (set when Mercado Pago is configured).
	PaymentLinks bool
	// UnlimitedHolds lifts the caps on live anonymous holds per phone and per
	// client network, for load tests (RATE_LIMIT_PER_MINUTE=0).
	UnlimitedHolds bool
	// Rates gives today's exchange rate, locked on every hold in a foreign
	// currency; nil: holds keep no rate.
	Rates Rates
}

// Property is what a quote or a hold needs to know about a property.
type Property struct {
	ID          int64
	AccountID   int64
	Slug        string
	Name        string
	Active      bool
	HoldMinutes int
	// MaxAnonymousNights is the longest stay an anonymous guest may hold (owner-set, default 30).
	MaxAnonymousNights int
	Timezone           *time.Location
	Rules              Rules
	Seasons            []Season
	Pay                PaymentTerms
	// RateToday is the account's rate of today for the property's currency
	// when it was loaded (nil for pesos or without a rate), for quotes: the
	// cache drops the property when a new rate is set (migration 00022).
	// Holds lock the rate read at the hold, never this one.
	RateToday *LockedRate
	// CheckInTime is the local "HH:MM" guests arrive from.
	CheckInTime string
	// Policy is the cancellation policy a hold freezes (migration 00026).
	Policy Policy
	// DamageDeposit is the optional deposit against damage, in the
	// property's currency, and how it is collected (DepositBalance,
	// DepositTransfer, DepositCash); a hold freezes both.
	DamageDeposit       money.Money
	DamageDepositMethod string
}

// Today is the property's local date now.
func (s *Service) Today(p Property) time.Time { return LocalDate(s.Clock.Now(), p.Timezone) }

// LoadProperty reads a property with its rules and seasons.
func (s *Service) LoadProperty(ctx context.Context, id int64) (Property, error) {
	if s.Properties == nil {
		return s.loadProperty(ctx, id)
	}
	p, gen, ok := s.Properties.get(id)
	if ok {
		return p, nil
	}
	p, err := s.loadProperty(ctx, id)
	if err == nil {
		s.Properties.put(gen, p)
	}
	return p, err
}

func (s *Service) loadProperty(ctx context.Context, id int64) (Property, error) {
	row, err := db.Q(s.DB).GetPropertyForBooking(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return Property{}, ErrNotFound
	}
	if err != nil {
		return Property{}, fmt.Errorf("booking: load property %d: %w", id, err)
	}
	var seasons []seasonJSON
	if err := json.Unmarshal(row.Seasons, &seasons); err != nil {
		return Property{}, fmt.Errorf("booking: decode seasons of %d: %w", id, err)
	}
	p := Property{
		ID: row.ID, AccountID: row.AccountID, Slug: row.Slug, Name: row.Name, Active: row.Active,
		HoldMinutes: int(row.HoldMinutes), MaxAnonymousNights: int(row.MaxAnonymousNights), Timezone: s.Locations.Get(row.Timezone),
		Rules: Rules{
			BasePrice: row.BasePrice, WeekendPrice: row.WeekendPrice, CleaningFee: row.CleaningFee,
			ExtraGuestFee: row.ExtraGuestFee, IncludedGuests: int(row.IncludedGuests), Capacity: int(row.Capacity),
			MinNights: int(row.MinNights), DepositPercent: int(row.DepositPercent), Currency: row.Currency,
		},
		Pay: termsFromRow(row), CheckInTime: row.CheckInTime,
		DamageDeposit: row.DamageDeposit, DamageDepositMethod: row.DamageDepositMethod,
	}
	if pol, ok, err := ParsePolicy(row.CancelPolicy); err != nil {
		return Property{}, fmt.Errorf("booking: load property %d: %w", id, err)
	} else if ok {
		p.Policy = pol
	} else {
		p.Policy = DefaultPolicy()
	}
	if p.RateToday, err = s.RateToday(ctx, p.AccountID, p.Rules.Currency); err != nil {
		return Property{}, fmt.Errorf("booking: load property %d: %w", id, err)
	}
	for _, w := range row.WeekendNights {
		p.Rules.WeekendNights = append(p.Rules.WeekendNights, time.Weekday(w))
	}
	for _, se := range seasons {
		p.Seasons = append(p.Seasons, Season{Name: se.Name, StartsOn: time.Time(se.StartsOn), EndsOn: time.Time(se.EndsOn),
			NightlyPrice: se.NightlyPrice, MinNights: se.MinNights, RepeatsYearly: se.RepeatsYearly})
	}
	return p, nil
}

// seasonJSON is a season as GetPropertyForBooking aggregates it.
type seasonJSON struct {
	Name          string      `json:"name"`
	StartsOn      jsonDate    `json:"starts_on"`
	EndsOn        jsonDate    `json:"ends_on"`
	NightlyPrice  money.Money `json:"nightly_price"`
	MinNights     int         `json:"min_nights"`
	RepeatsYearly bool        `json:"repeats_yearly"`
}

type jsonDate time.Time

func (d *jsonDate) UnmarshalJSON(b []byte) error {
	t, err := ParseDate(strings.Trim(string(b), `"`))
	*d = jsonDate(t)
	return err
}

// NightStatus is one night of an availability answer.
type NightStatus struct {
	Date      time.Time
	Available bool
}

// MaxAvailabilityNights bounds one availability request.
const MaxAvailabilityNights = 366

// Availability lists [from, to) night by night.
func (s *Service) Availability(ctx context.Context, propertyID int64, from, to time.Time) ([]NightStatus, error) {
	ranges, err := db.Q(s.DB).ListBlockedRanges(ctx, dbq.ListBlockedRangesParams{
		PropertyID: propertyID, FromDate: from, ToDate: to,
	})
	if err != nil {
		return nil, fmt.Errorf("booking: availability of %d: %w", propertyID, err)
	}
	out := make([]NightStatus, 0, NightsBetween(from, to))
	i := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		for i < len(ranges) && !ranges[i].EndsOn.After(d) {
			i++
		}
		taken := i < len(ranges) && !ranges[i].StartsOn.After(d)
		out = append(out, NightStatus{Date: d, Available: !taken})
	}
	return out, nil
}

// TakenNights returns the nights of [from, to) that are not available.
func (s *Service) TakenNights(ctx context.Context, propertyID int64, from, to time.Time) ([]time.Time, error) {
	nights, err := s.Availability(ctx, propertyID, from, to)
	if err != nil {
		return nil, err
	}
	var taken []time.Time
	for _, n := range nights {
		if !n.Available {
			taken = append(taken, n.Date)
		}
	}
	return taken, nil
}

// inTx runs fn in a transaction and retries it on deadlock or serialization
// failure: those are contention, not answers.
func (s *Service) inTx(ctx context.Context, fn func(tx db.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = db.InTx(ctx, s.DB, fn)
		if !db.IsRetry(err) {
			return err
		}
		s.Metrics.SerializationRetries.Inc()
		time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
	}
	return err
}

// lockReservation reads reservation id for update inside the caller's
// transaction. One of another account is ErrNotFound, the same answer as an
// unknown id, so the caller never reveals it exists.
func lockReservation(ctx context.Context, q *dbq.Queries, id, accountID int64) (dbq.Reservation, error) {
	cur, err := q.GetReservationForUpdate(ctx, id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && cur.AccountID != accountID) {
		return dbq.Reservation{}, ErrNotFound
	}
	return cur, err
}

// audit writes r's audit entry for action, detail as JSON, in the
// transaction of the change it describes: the entry and the change commit
// together (and the audit trigger sends the notifications).
func audit(ctx context.Context, q *dbq.Queries, r dbq.Reservation, actor, action string, detail any, now time.Time) error {
	b, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	return q.InsertAudit(ctx, dbq.InsertAuditParams{
		AccountID: r.AccountID, ReservationID: &r.ID, Actor: actor, Action: action, Detail: b, Now: now,
	})
}
