package ical_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbtest"
	"alojamientos/internal/ical"
)

func TestAddFeed(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	acc := dbtest.Account(t, pool)
	other := dbtest.Account(t, pool)
	prop := dbtest.Property(t, pool, acc.ID)
	ctx := t.Context()

	f := ical.NewFeed{AccountID: acc.ID, PropertyID: prop.ID, Channel: "airbnb", URL: "  https://example.com/cal.ics?s=x ", Interval: 15}
	feed, err := ical.AddFeed(ctx, pool, f)
	require.NoError(t, err)
	require.Equal(t, "https://example.com/cal.ics?s=x", feed.Url, "spaces around the URL are dropped")
	require.EqualValues(t, 15, feed.IntervalMinutes)

	_, err = ical.AddFeed(ctx, pool, f)
	require.ErrorIs(t, err, ical.ErrFeedExists)
	var fe *ical.FeedError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, map[string]string{"url": "Ese calendario ya está agregado."}, fe.Fields)

	_, err = ical.AddFeed(ctx, pool, ical.NewFeed{AccountID: other.ID, PropertyID: prop.ID, Channel: "vrbo", URL: "https://example.com/b.ics", Interval: 10})
	require.ErrorIs(t, err, db.ErrNotFound, "another account's property")

	_, err = ical.AddFeed(ctx, pool, ical.NewFeed{AccountID: acc.ID, PropertyID: prop.ID, Channel: "myspace", URL: "ftp://x", Interval: 0})
	require.ErrorIs(t, err, ical.ErrInvalidFeed)
	require.True(t, errors.As(err, &fe))
	require.Equal(t, map[string]string{"channel": "Elegí un canal.",
		"url": "La dirección tiene que empezar con https:// (o http://).", "interval": "Entre 1 y 1440 minutos."}, fe.Fields)
	var n int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM channel_feeds WHERE property_id = $1`, prop.ID).Scan(&n))
	require.Equal(t, 1, n)
}

func TestNewFeedValidateBounds(t *testing.T) {
	t.Parallel()
	ok := ical.NewFeed{Channel: "other", URL: "http://x.example/a.ics", Interval: ical.MaxInterval}
	require.Nil(t, ok.Validate())
	ok.Interval = ical.MinInterval
	require.Nil(t, ok.Validate())
	ok.Interval = ical.MaxInterval + 1
	require.NotNil(t, ok.Validate())
}
