package rates

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
)

// Kinds of rate: typed by the owner, or one of the quotes the Argentine
// sources publish.
const (
	KindManual  = "manual"
	KindOficial = "oficial"
	KindMEP     = "mep"
	KindTarjeta = "tarjeta"
	KindBlue    = "blue"
)

// AutoKinds are the kinds an automatic rate may follow, in the order the page offers them.
var AutoKinds = []string{KindOficial, KindMEP, KindTarjeta, KindBlue}

// Modes of a currency's settings.
const (
	ModeManual = "manual"
	ModeAuto   = "auto"
)

// StaleAfter is how old the last successful fetch of an automatic rate may be.
const StaleAfter = 24 * time.Hour

// Currencies the pages and the fetch know; the tables take any ISO 4217 code but ARS.
var Currencies = []string{"USD"}

// ErrNoRate is a currency with no rate yet.
var ErrNoRate = errors.New("rates: no rate")

// ErrCurrency is a currency code that is not three capital letters, or ARS.
var ErrCurrency = errors.New("rates: not a foreign currency code")

// Service stores and reads rates and fetches automatic ones.
type Service struct {
	DB    DB
	Clock platform.Clock
	Log   *slog.Logger
	// URL is the quote API's URL template with a {kind} placeholder (RATES_URL).
	URL string
	// HTTP fetches quotes; its Timeout bounds each fetch.
	HTTP *http.Client
}

// DB is what the service needs: a pool, or a transaction in tests.
type DB = dbq.DBTX

// Rate values a currency's rate of today with how it came to be.
type Current struct {
	Currency  string
	Rate      Rate
	Quote     Rate
	Kind      string
	Source    string
	MarkupBP  int
	At        time.Time
	Age       time.Duration
	CreatedBy string
}

// Status is a currency's rate of today and its settings, as the page,
// the dashboard and /healthz show them.
type Status struct {
	Currency string
	Current  *Current // nil: no rate yet
	Settings Settings
	// Stale: an automatic rate whose last fetch failed or is older than StaleAfter.
	Stale bool
}

// Settings say how a currency's rate is kept.
type Settings struct {
	Mode      string
	Kind      string
	MarkupBP  int
	LastFetch *time.Time
	LastOK    *time.Time
	LastError string
}

// ValidCurrency reports whether code can have a rate: an ISO 4217 code
// (money.ValidCurrency, the one check of the shape) other than the peso.
func ValidCurrency(code string) bool { return code != "ARS" && money.ValidCurrency(code) }

// SetManual stores a rate typed by a user (userID nil from the CLI).
func (s *Service) SetManual(ctx context.Context, accountID int64, currency string, r Rate, userID *int64) (Current, error) {
	if !ValidCurrency(currency) {
		return Current{}, ErrCurrency
	}
	if r < MinRate || r > MaxRate {
		return Current{}, ErrRange
	}
	row, err := db.Q(s.DB).InsertExchangeRate(ctx, dbq.InsertExchangeRateParams{AccountID: accountID, Currency: currency,
		RateE4: int64(r), QuoteE4: int64(r), Kind: KindManual, Source: KindManual, CreatedAt: s.Clock.Now(), CreatedBy: userID})
	if err != nil {
		return Current{}, fmt.Errorf("rates: set %s: %w", currency, err)
	}
	return s.current(row, ""), nil
}

// Today is the latest rate of a currency, or ErrNoRate.
func (s *Service) Today(ctx context.Context, accountID int64, currency string) (Current, error) {
	row, err := db.Q(s.DB).LatestExchangeRate(ctx, dbq.LatestExchangeRateParams{AccountID: accountID, Currency: currency})
	if errors.Is(err, db.ErrNotFound) {
		return Current{}, ErrNoRate
	} else if err != nil {
		return Current{}, fmt.Errorf("rates: today %s: %w", currency, err)
	}
	return s.current(row, ""), nil
}

func (s *Service) current(row dbq.ExchangeRate, by string) Current {
	return Current{Currency: row.Currency, Rate: Rate(row.RateE4), Quote: Rate(row.QuoteE4), Kind: row.Kind,
		Source: row.Source, MarkupBP: int(row.MarkupBp), At: row.CreatedAt, Age: max(0, s.Clock.Now().Sub(row.CreatedAt)),
		CreatedBy: by}
}

// History is a currency's rates, newest first, at most limit of them.
func (s *Service) History(ctx context.Context, accountID int64, currency string, limit int) ([]Current, error) {
	rows, err := db.Q(s.DB).ListExchangeRates(ctx, dbq.ListExchangeRatesParams{AccountID: accountID, Currency: currency,
		MaxRows: int32(min(limit, 1000))})
	if err != nil {
		return nil, fmt.Errorf("rates: history %s: %w", currency, err)
	}
	out := make([]Current, 0, len(rows))
	for _, r := range rows {
		out = append(out, s.current(dbq.ExchangeRate{ID: r.ID, AccountID: r.AccountID, Currency: r.Currency, RateE4: r.RateE4,
			QuoteE4: r.QuoteE4, Kind: r.Kind, Source: r.Source, MarkupBp: r.MarkupBp, CreatedAt: r.CreatedAt}, r.CreatedByName))
	}
	return out, nil
}

// Statuses is the known Currencies and every other currency the account has
// a rate or settings for, each with today's rate and whether it is stale.
func (s *Service) Statuses(ctx context.Context, accountID int64) ([]Status, error) {
	settings, err := db.Q(s.DB).ListExchangeRateSettings(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("rates: settings: %w", err)
	}
	byCur := map[string]Settings{}
	codes := slices.Clone(Currencies)
	for _, st := range settings {
		byCur[st.Currency] = settingsOf(st)
		if !slices.Contains(codes, st.Currency) {
			codes = append(codes, st.Currency)
		}
	}
	withRates, err := db.Q(s.DB).ListExchangeRateCurrencies(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("rates: currencies: %w", err)
	}
	for _, code := range withRates {
		if !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	out := make([]Status, 0, len(codes))
	for _, code := range codes {
		st := Status{Currency: code, Settings: byCur[code]}
		if st.Settings.Mode == "" {
			st.Settings = Settings{Mode: ModeManual, Kind: KindOficial}
		}
		cur, err := s.Today(ctx, accountID, code)
		if err == nil {
			st.Current = &cur
		} else if !errors.Is(err, ErrNoRate) {
			return nil, err
		}
		st.Stale = IsStale(st.Settings, s.Clock.Now())
		out = append(out, st)
	}
	return out, nil
}

func settingsOf(st dbq.ExchangeRateSetting) Settings {
	return Settings{Mode: st.Mode, Kind: st.Kind, MarkupBP: int(st.MarkupBp), LastFetch: st.LastFetchAt,
		LastOK: st.LastOkAt, LastError: st.LastError}
}

// IsStale applies the staleness rule (package doc) to a currency's settings.
func IsStale(st Settings, now time.Time) bool {
	if st.Mode != ModeAuto {
		return false
	}
	return st.LastError != "" || st.LastOK == nil || now.Sub(*st.LastOK) > StaleAfter
}

// SaveSettings stores how a currency's rate is kept.
func (s *Service) SaveSettings(ctx context.Context, accountID int64, currency string, st Settings) error {
	if !ValidCurrency(currency) {
		return ErrCurrency
	}
	if (st.Mode != ModeManual && st.Mode != ModeAuto) || !slices.Contains(AutoKinds, st.Kind) ||
		st.MarkupBP < 0 || st.MarkupBP > MaxMarkupBP {
		return fmt.Errorf("rates: settings %+v: %w", st, ErrRange)
	}
	_, err := db.Q(s.DB).UpsertExchangeRateSettings(ctx, dbq.UpsertExchangeRateSettingsParams{AccountID: accountID,
		Currency: currency, Mode: st.Mode, Kind: st.Kind, MarkupBp: int32(st.MarkupBP), Now: s.Clock.Now()})
	if err != nil {
		return fmt.Errorf("rates: save settings %s: %w", currency, err)
	}
	return nil
}

// StaleAuto lists the automatic rates of every account that are stale now
// (for /healthz): "account_id/currency" → the last error, or "" when only old.
func (s *Service) StaleAuto(ctx context.Context) (map[string]string, error) {
	rows, err := db.Q(s.DB).ListStaleAutoRates(ctx, s.Clock.Now().Add(-StaleAfter))
	if err != nil {
		return nil, fmt.Errorf("rates: stale: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[fmt.Sprintf("%d/%s", r.AccountID, r.Currency)] = r.LastError
	}
	return out, nil
}
