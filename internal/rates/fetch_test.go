package rates_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
)

// quoteAPI is a fake dolarapi.com: answer decides each reply.
type quoteAPI struct {
	*httptest.Server
	answer atomic.Value // func(w, r)
	hits   atomic.Int32
}

func newQuoteAPI(t *testing.T) *quoteAPI {
	q := &quoteAPI{}
	q.good("1185.5")
	q.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q.hits.Add(1)
		q.answer.Load().(func(http.ResponseWriter, *http.Request))(w, r)
	}))
	t.Cleanup(q.Close)
	return q
}

func (q *quoteAPI) good(venta string) {
	q.answer.Store(func(w http.ResponseWriter, r *http.Request) {
		kind := strings.TrimPrefix(r.URL.Path, "/v1/dolares/")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"moneda":"USD","casa":"`+kind+`","nombre":"Blue","compra":1165,"venta":`+venta+
			`,"fechaActualizacion":"2026-12-02T13:00:00.000Z"}`)
	})
}

func (q *quoteAPI) set(f func(http.ResponseWriter, *http.Request)) { q.answer.Store(f) }

type fixture struct {
	pool  *pgxpool.Pool
	clock *platform.TestClock
	svc   *rates.Service
	api   *quoteAPI
	acc   int64
}

func setup(t *testing.T) fixture {
	pool := dbtest.New(t)
	api := newQuoteAPI(t)
	clock := platform.NewTestClock(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	svc := &rates.Service{DB: pool, Clock: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		URL: api.URL + "/v1/dolares/{kind}", HTTP: &http.Client{Timeout: 300 * time.Millisecond}}
	return fixture{pool: pool, clock: clock, svc: svc, api: api, acc: dbtest.Account(t, pool).ID}
}

func (f fixture) auto(t *testing.T, kind string, markup int) {
	require.NoError(t, f.svc.SaveSettings(t.Context(), f.acc, "USD", rates.Settings{Mode: rates.ModeAuto, Kind: kind, MarkupBP: markup}))
}

func (f fixture) status(t *testing.T) rates.Status {
	st, err := f.svc.Statuses(t.Context(), f.acc)
	require.NoError(t, err)
	require.Equal(t, "USD", st[0].Currency)
	return st[0]
}

func TestFetchStoresTheSellingRateWithMarkup(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.auto(t, rates.KindMEP, 200)
	require.NoError(t, f.svc.FetchAll(t.Context()))
	st := f.status(t)
	require.False(t, st.Stale)
	require.NotNil(t, st.Current)
	require.Equal(t, rates.Rate(12_092_100), st.Current.Rate, "1185.50 × 1.02")
	require.Equal(t, rates.Rate(11_855_000), st.Current.Quote)
	require.Equal(t, rates.KindMEP, st.Current.Kind)
	require.Equal(t, f.api.URL+"/v1/dolares/bolsa", st.Current.Source, "dolarapi calls MEP «bolsa»")

	// An unchanged quote adds no history; a new one does.
	f.clock.Advance(time.Hour)
	require.NoError(t, f.svc.FetchAll(t.Context()))
	f.api.good("1190")
	require.NoError(t, f.svc.FetchAll(t.Context()))
	h, err := f.svc.History(t.Context(), f.acc, "USD", 30)
	require.NoError(t, err)
	require.Len(t, h, 2)
	require.Equal(t, rates.Rate(12_138_000), h[0].Rate)
}

func TestFetchOneRequestPerKind(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.auto(t, rates.KindBlue, 0)
	other := dbtest.Account(t, f.pool).ID
	require.NoError(t, f.svc.SaveSettings(t.Context(), other, "USD", rates.Settings{Mode: rates.ModeAuto, Kind: rates.KindBlue}))
	// A manual account is not fetched.
	manual := dbtest.Account(t, f.pool).ID
	require.NoError(t, f.svc.SaveSettings(t.Context(), manual, "USD", rates.Settings{Mode: rates.ModeManual, Kind: rates.KindOficial}))
	require.NoError(t, f.svc.FetchAll(t.Context()))
	require.Equal(t, int32(1), f.api.hits.Load())
	_, err := f.svc.Today(t.Context(), manual, "USD")
	require.ErrorIs(t, err, rates.ErrNoRate)
	cur, err := f.svc.Today(t.Context(), other, "USD")
	require.NoError(t, err)
	require.Equal(t, rates.Rate(11_855_000), cur.Rate)
}

// A failed fetch keeps the last rate and marks it stale until one succeeds.
func TestFailedFetchKeepsTheLastRate(t *testing.T) {
	t.Parallel()
	for name, answer := range map[string]func(http.ResponseWriter, *http.Request){
		"500":       func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
		"malformed": func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"compra":1165,"venta":`) },
		"no venta":  func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"compra":1165}`) },
		"negative":  func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `{"venta":-3}`) },
		"html":      func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, `<html>mantenimiento</html>`) },
		"huge": func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"venta":1185.5,"x":"`+strings.Repeat("a", rates.MaxBody)+`"}`)
		},
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select { // longer than the client's timeout, never more than a second
			case <-r.Context().Done():
			case <-time.After(time.Second):
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			f.auto(t, rates.KindBlue, 0)
			require.NoError(t, f.svc.FetchAll(t.Context()))
			f.api.set(answer)
			f.clock.Advance(time.Hour)
			require.NoError(t, f.svc.FetchAll(t.Context()), "a failed fetch is not a job error")
			st := f.status(t)
			require.True(t, st.Stale)
			require.NotEmpty(t, st.Settings.LastError)
			require.Equal(t, rates.Rate(11_855_000), st.Current.Rate, "the last rate stays")
			require.Equal(t, time.Hour, st.Current.Age)
			stale, err := f.svc.StaleAuto(t.Context())
			require.NoError(t, err)
			require.Contains(t, stale, fmt.Sprintf("%d/USD", f.acc))
		})
	}
}

func TestStaleness(t *testing.T) {
	t.Parallel()
	f := setup(t)
	// Manual: never stale, however old.
	_, err := f.svc.SetManual(t.Context(), f.acc, "USD", 11_855_000, nil)
	require.NoError(t, err)
	f.clock.Advance(30 * 24 * time.Hour)
	require.False(t, f.status(t).Stale)

	// Auto, never fetched: stale.
	f.auto(t, rates.KindOficial, 0)
	require.True(t, f.status(t).Stale)
	require.NoError(t, f.svc.FetchAll(t.Context()))
	require.False(t, f.status(t).Stale)
	// Fetched 24 h ago is fresh; a second more is stale.
	f.clock.Advance(rates.StaleAfter)
	require.False(t, f.status(t).Stale)
	f.clock.Advance(time.Second)
	require.True(t, f.status(t).Stale)
	require.NoError(t, f.svc.FetchAll(t.Context()))
	require.False(t, f.status(t).Stale)

	// A failure, then a success, clears the warning.
	f.api.set(func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusBadGateway) })
	require.NoError(t, f.svc.FetchAll(t.Context()))
	require.True(t, f.status(t).Stale)
	require.Contains(t, f.status(t).Settings.LastError, "HTTP 502")
	f.api.good("1185.5")
	require.NoError(t, f.svc.FetchAll(t.Context()))
	require.False(t, f.status(t).Stale)
	require.Empty(t, f.status(t).Settings.LastError)
}

func TestManualRateAndHistory(t *testing.T) {
	t.Parallel()
	f := setup(t)
	u := dbtest.User(t, f.pool, f.acc, "owner")
	_, err := f.svc.SetManual(t.Context(), f.acc, "USD", 11_000_000, &u.ID)
	require.NoError(t, err)
	f.clock.Advance(time.Hour)
	_, err = f.svc.SetManual(t.Context(), f.acc, "USD", 11_855_000, &u.ID)
	require.NoError(t, err)
	cur, err := f.svc.Today(t.Context(), f.acc, "USD")
	require.NoError(t, err)
	require.Equal(t, rates.Rate(11_855_000), cur.Rate)
	require.Equal(t, rates.KindManual, cur.Kind)
	h, err := f.svc.History(t.Context(), f.acc, "USD", 30)
	require.NoError(t, err)
	require.Len(t, h, 2)
	require.Equal(t, u.Name, h[0].CreatedBy)
	require.Equal(t, rates.Rate(11_000_000), h[1].Rate)

	_, err = f.svc.SetManual(t.Context(), f.acc, "ARS", 10_000, nil)
	require.ErrorIs(t, err, rates.ErrCurrency)
	_, err = f.svc.SetManual(t.Context(), f.acc, "usd", 10_000, nil)
	require.ErrorIs(t, err, rates.ErrCurrency)
	// Other accounts see nothing.
	_, err = f.svc.Today(t.Context(), dbtest.Account(t, f.pool).ID, "USD")
	require.ErrorIs(t, err, rates.ErrNoRate)
	// The history is append-only.
	_, err = f.pool.Exec(t.Context(), `UPDATE exchange_rates SET rate_e4 = 1`)
	require.ErrorContains(t, err, "append-only")
}
