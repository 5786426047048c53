package ical

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/format"
)

// ErrFeedExists is a property that already imports that calendar URL.
var ErrFeedExists = errors.New("ical: feed already added")

// ErrInvalidFeed is a feed refused before it reached the database; the
// *FeedError carrying it says which fields, in Spanish.
var ErrInvalidFeed = errors.New("ical: invalid feed")

// Interval bounds, in minutes between syncs (the table checks the same).
const (
	MinInterval     = 1
	MaxInterval     = 1440
	DefaultInterval = 10
)

// NewFeed is a channel calendar an owner (or the CLI) asks to import.
type NewFeed struct {
	AccountID  int64
	PropertyID int64
	Channel    string // a key of Channels
	URL        string // the channel's export address; surrounding spaces are dropped
	Interval   int    // minutes between syncs, MinInterval..MaxInterval
}

// FeedError is a refused feed: ErrInvalidFeed or ErrFeedExists, with what an
// owner reads for each field ("channel", "url", "interval").
type FeedError struct {
	Kind   error
	Fields map[string]string
}

func (e *FeedError) Error() string {
	return e.Kind.Error() + ": " + format.Fields(e.Fields)
}

// Is lets errors.Is(err, ErrFeedExists) or ErrInvalidFeed match.
func (e *FeedError) Is(target error) bool { return target == e.Kind }

// Validate says what is wrong with f, field by field in Spanish; nil when
// nothing is.
func (f NewFeed) Validate() *FeedError {
	fields := map[string]string{}
	if _, ok := Channels[f.Channel]; !ok {
		fields["channel"] = "Elegí un canal."
	}
	if err := ValidFeedURL(f.URL); err != nil {
		fields["url"] = "La dirección tiene que empezar con https:// (o http://)."
	}
	if f.Interval < MinInterval || f.Interval > MaxInterval {
		fields["interval"] = fmt.Sprintf("Entre %d y %d minutos.", MinInterval, MaxInterval)
	}
	if len(fields) == 0 {
		return nil
	}
	return &FeedError{Kind: ErrInvalidFeed, Fields: fields}
}

// AddFeed validates f and inserts it: the one way a channel feed is created
// (web form and CLI). A URL the property already imports is a *FeedError
// matching ErrFeedExists; a property outside the account is db.ErrNotFound.
func AddFeed(ctx context.Context, conn dbq.DBTX, f NewFeed) (dbq.ChannelFeed, error) {
	f.URL = strings.TrimSpace(f.URL)
	if fe := f.Validate(); fe != nil {
		return dbq.ChannelFeed{}, fe
	}
	feed, err := db.Q(conn).CreateFeed(ctx, dbq.CreateFeedParams{PropertyID: f.PropertyID, AccountID: f.AccountID,
		// #nosec G115 -- Validate keeps Interval within 1..1440
		Channel: f.Channel, Url: f.URL, IntervalMinutes: int32(f.Interval)})
	switch {
	case db.IsUnique(err, "channel_feeds_property_id_url_key"):
		return feed, &FeedError{Kind: ErrFeedExists, Fields: map[string]string{"url": "Ese calendario ya está agregado."}}
	case err != nil:
		return feed, fmt.Errorf("ical: add feed to property %d: %w", f.PropertyID, err)
	}
	return feed, nil
}
