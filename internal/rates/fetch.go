package rates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// FetchTimeout bounds one quote request; MaxBody bounds its answer.
const (
	FetchTimeout = 10 * time.Second
	MaxBody      = 64 << 10
)

// FetchEvery is how often automatic rates are fetched.
const FetchEvery = time.Hour

// pathKind is the name a kind has in the quote APIs' paths (dolarapi.com
// calls the MEP dollar "bolsa").
var pathKind = map[string]string{KindOficial: "oficial", KindMEP: "bolsa", KindTarjeta: "tarjeta", KindBlue: "blue"}

// NewHTTPClient is the client the fetch uses: FetchTimeout per request.
func NewHTTPClient() *http.Client { return &http.Client{Timeout: FetchTimeout} }

// URLFor fills the URL template's {kind}.
func URLFor(template, kind string) string {
	return strings.ReplaceAll(template, "{kind}", pathKind[kind])
}

// quote is the answer of the quote APIs (dolarapi.com and alike).
type quote struct {
	Compra json.Number `json:"compra"`
	Venta  json.Number `json:"venta"`
}

// FetchQuote asks the quote API for a kind's selling price ("venta").
func (s *Service) FetchQuote(ctx context.Context, kind string) (Rate, string, error) {
	url := URLFor(s.URL, kind)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, url, fmt.Errorf("rates: fetch %s: %w", kind, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return 0, url, fmt.Errorf("rates: fetch %s: %w", kind, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return 0, url, fmt.Errorf("rates: fetch %s: HTTP %d", kind, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return 0, url, fmt.Errorf("rates: fetch %s: %w", kind, err)
	}
	if len(body) > MaxBody {
		return 0, url, fmt.Errorf("rates: fetch %s: answer larger than %d bytes", kind, MaxBody)
	}
	var q quote
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&q); err != nil {
		return 0, url, fmt.Errorf("rates: fetch %s: malformed answer: %w", kind, err)
	}
	r, err := quoteRate(q.Venta)
	if err != nil {
		return 0, url, fmt.Errorf("rates: fetch %s: %w", kind, err)
	}
	return r, url, nil
}

// quoteRate reads the JSON number "venta" (1185.5, 1.1855e3) into a Rate,
// rounded half-up to the ten-thousandth.
func quoteRate(n json.Number) (Rate, error) {
	if n == "" {
		return 0, errors.New("answer without venta")
	}
	x, ok := new(big.Rat).SetString(string(n))
	if !ok || x.Sign() <= 0 {
		return 0, fmt.Errorf("venta %q is not a positive number", n)
	}
	x.Mul(x, new(big.Rat).SetInt64(Scale))
	q, m := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if m.Mul(m, big.NewInt(2)).Cmp(x.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() || Rate(q.Int64()) < MinRate || Rate(q.Int64()) > MaxRate {
		return 0, fmt.Errorf("venta %q out of range", n)
	}
	return Rate(q.Int64()), nil
}

// FetchAll fetches every automatic rate: one request per kind, then each
// account's rate with its markup. A failure is recorded on the settings
// (shown as stale) and the last rate stays; it never returns a fetch error,
// only a database one.
func (s *Service) FetchAll(ctx context.Context) error {
	q := db.Q(s.DB)
	settings, err := q.ListAutoExchangeRateSettings(ctx)
	if err != nil {
		return fmt.Errorf("rates: auto settings: %w", err)
	}
	type result struct {
		rate Rate
		url  string
		err  error
	}
	byKind := map[string]result{}
	for _, st := range settings {
		res, ok := byKind[st.Kind]
		if !ok {
			res.rate, res.url, res.err = s.FetchQuote(ctx, st.Kind)
			byKind[st.Kind] = res
			if res.err != nil {
				s.Log.Warn("rates: fetch failed; the last rate stays", "kind", st.Kind, "error", res.err)
			}
		}
		if err := s.apply(ctx, st, res.rate, res.url, res.err); err != nil {
			return err
		}
	}
	return nil
}

// FetchOne fetches one account's automatic rate now (the owner just turned
// it on), recording the outcome like FetchAll; it reports whether the fetch
// worked. A currency in manual mode is left alone.
func (s *Service) FetchOne(ctx context.Context, accountID int64, currency string) (bool, error) {
	st, err := db.Q(s.DB).GetExchangeRateSettings(ctx, dbq.GetExchangeRateSettingsParams{AccountID: accountID, Currency: currency})
	if errors.Is(err, db.ErrNotFound) || (err == nil && st.Mode != ModeAuto) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("rates: settings %d/%s: %w", accountID, currency, err)
	}
	r, url, fetchErr := s.FetchQuote(ctx, st.Kind)
	if fetchErr != nil {
		s.Log.Warn("rates: fetch failed; the last rate stays", "kind", st.Kind, "error", fetchErr)
	}
	return fetchErr == nil, s.apply(ctx, st, r, url, fetchErr)
}

// apply stores one account's fetched rate (when it changed) and the outcome.
func (s *Service) apply(ctx context.Context, st dbq.ExchangeRateSetting, quote Rate, url string, fetchErr error) error {
	q := db.Q(s.DB)
	now := s.Clock.Now()
	outcome := ""
	if fetchErr != nil {
		outcome = clip(fetchErr.Error(), 500)
	} else {
		r := quote.WithMarkup(int(st.MarkupBp))
		last, err := q.LatestExchangeRate(ctx, dbq.LatestExchangeRateParams{AccountID: st.AccountID, Currency: st.Currency})
		changed := errors.Is(err, db.ErrNotFound) || (err == nil && (last.RateE4 != int64(r) || last.Kind != st.Kind ||
			last.QuoteE4 != int64(quote)))
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("rates: latest %d/%s: %w", st.AccountID, st.Currency, err)
		}
		if changed {
			if _, err := q.InsertExchangeRate(ctx, dbq.InsertExchangeRateParams{AccountID: st.AccountID, Currency: st.Currency,
				RateE4: int64(r), QuoteE4: int64(quote), Kind: st.Kind, Source: url, MarkupBp: st.MarkupBp, CreatedAt: now}); err != nil {
				return fmt.Errorf("rates: store %d/%s: %w", st.AccountID, st.Currency, err)
			}
		}
	}
	if err := q.RecordExchangeRateFetch(ctx, dbq.RecordExchangeRateFetchParams{Now: now, Error: outcome,
		AccountID: st.AccountID, Currency: st.Currency}); err != nil {
		return fmt.Errorf("rates: record fetch %d/%s: %w", st.AccountID, st.Currency, err)
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// FetchArgs is the periodic job that fetches the automatic rates; River runs
// periodic jobs on the elected leader only.
type FetchArgs struct{}

// Kind implements river.JobArgs.
func (FetchArgs) Kind() string { return "rates.fetch" }

// FetchWorker runs FetchAll.
type FetchWorker struct {
	river.WorkerDefaults[FetchArgs]
	Rates *Service
}

// Timeout leaves room for one slow request per kind.
func (w *FetchWorker) Timeout(*river.Job[FetchArgs]) time.Duration { return 2 * time.Minute }

// Work implements river.Worker.
func (w *FetchWorker) Work(ctx context.Context, _ *river.Job[FetchArgs]) error {
	return w.Rates.FetchAll(ctx)
}

// AddWorkers registers the fetch job.
func AddWorkers(workers *river.Workers, s *Service) {
	river.AddWorker(workers, &FetchWorker{Rates: s})
}

// PeriodicJobs fetch the automatic rates every FetchEvery, and at start.
func PeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(FetchEvery),
			func() (river.JobArgs, *river.InsertOpts) {
				return FetchArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true,
					ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
						rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateScheduled}}}
			},
			&river.PeriodicJobOpts{RunOnStart: true}),
	}
}
