package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/app"
	"alojamientos/internal/auth"
	"alojamientos/internal/booking"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
	"alojamientos/internal/rates"
)

// The demo owner's login, printed at every `make run`: this is development data.
const (
	demoAccountSlug = "cabanas-del-lago"
	demoEmail       = "duena@demo.alojamientos.ar"
	demoPassword    = "lago-demo-2026" // #nosec G101 -- the documented demo login, printed by make run
)

type demoProperty struct {
	slug, name, kind, location, description string
	capacity, included, minNights           int
	base, weekend, cleaning, extraGuest     int64 // whole units of currency
	currency                                string
}

var demoProperties = []demoProperty{
	{"los-arrayanes", "Cabaña Los Arrayanes", "cabin", "Villa La Angostura, Neuquén",
		"Cabaña de troncos entre arrayanes, a 300 metros del lago Correntoso. Hogar a leña, parrilla y deck con vista al bosque.",
		4, 2, 2, 85000, 98000, 15000, 12000, "ARS"},
	{"mirador-del-lago", "Cabaña El Mirador del Lago", "cabin", "Villa La Angostura, Neuquén",
		"Dos plantas con ventanales al Nahuel Huapi, tres dormitorios, cocina completa y bajada propia a la playa.",
		6, 4, 2, 120000, 140000, 20000, 15000, "ARS"},
	{"depto-centro-bariloche", "Departamento Centro Bariloche", "apartment", "San Carlos de Bariloche, Río Negro",
		"Monoambiente luminoso a dos cuadras del Centro Cívico, con cochera y wifi rápido. Ideal para parejas.",
		3, 2, 1, 65000, 0, 10000, 8000, "ARS"},
	{"posada-habitacion-doble", "Habitación doble La Posada", "room", "Villa La Angostura, Neuquén",
		"Habitación con baño privado y desayuno casero en nuestra posada familiar, frente a la avenida principal.",
		2, 2, 1, 45000, 52000, 0, 0, "ARS"},
	// Priced in dollars, as many hosts in tourist towns do (issue 12).
	{"cabana-bosque-usd", "Cabaña del Bosque", "cabin", "Villa La Angostura, Neuquén",
		"Cabaña nueva para cuatro en el bosque, con jacuzzi y vista a la montaña. Precios en dólares.",
		4, 2, 2, 120, 140, 25, 15, "USD"},
}

// seed loads the demo account (`alojamientos seed --demo`) once: a second run
// only prints the login again, so `make run` can call it every time.
func seed(ctx context.Context, cfg platform.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if err := parseSeedFlags(args, cfg); err != nil {
		return err
	}
	a, err := app.Build(ctx, cfg, app.Options{Log: log, NoHTTP: true})
	if err != nil {
		return err
	}
	defer a.Close()
	loaded, err := demoLoaded(ctx, a.Pool())
	if err != nil {
		return err
	}
	if loaded {
		printDemoLogin(stdout, cfg, "demo data already loaded")
		return nil
	}
	var ids []int64
	err = db.InTx(ctx, a.Pool(), func(tx db.Tx) error {
		ids, err = seedAccount(ctx, tx, cfg)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	// The dollar cabin's stays lock this rate, so the demo shows pesos beside dollars.
	if err := seedRate(ctx, a); err != nil {
		return err
	}
	if err := seedReservations(ctx, a.Booking(), ids); err != nil {
		return err
	}
	printDemoLogin(stdout, cfg, "demo data loaded: 5 properties (one priced in US dollars), a dollar rate, a transfer account, seasons and a few reservations")
	return nil
}

// parseSeedFlags accepts only `--demo`, and never in production: demo data
// comes with a published password.
func parseSeedFlags(args []string, cfg platform.Config) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "create the demo account (only once)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo {
		return errors.New("usage: alojamientos seed --demo")
	}
	if cfg.Production() {
		return errors.New("refusing to load demo data with ENV=production")
	}
	return nil
}

// demoLoaded reports whether the demo account exists already.
func demoLoaded(ctx context.Context, pool *db.Pool) (bool, error) {
	_, err := db.Q(pool).GetAccountBySlug(ctx, demoAccountSlug)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, db.ErrNotFound):
		return false, nil
	default:
		return false, fmt.Errorf("look for demo account: %w", err)
	}
}

// seedAccount creates the demo account, its owner, its WhatsApp settings and
// its properties in one transaction, and returns the property ids in the
// order of demoProperties (seedReservations refers to them by index).
func seedAccount(ctx context.Context, tx db.Tx, cfg platform.Config) ([]int64, error) {
	q := db.Q(tx)
	acc, err := q.CreateAccount(ctx, dbq.CreateAccountParams{Slug: demoAccountSlug, Name: "Cabañas del Lago",
		Timezone: "America/Argentina/Buenos_Aires", Currency: "ARS"})
	if err != nil {
		return nil, err
	}
	if _, err := auth.CreateUser(ctx, tx, auth.NewUser{AccountID: acc.ID, Email: demoEmail, Name: "Marta Quiroga",
		Password: demoPassword, Role: "owner"}); err != nil {
		return nil, err
	}
	// The demo sells over WhatsApp too: with WHATSAPP_* set, messages to
	// that number reach the assistant and the inbox.
	if _, err := q.UpsertWhatsAppSettings(ctx, dbq.UpsertWhatsAppSettingsParams{AccountID: acc.ID, Enabled: true,
		PhoneNumberID: cfg.WhatsAppPhoneNumberID, AssistantEnabled: true, TemplateLanguage: "es_AR",
		Templates: []byte(`{}`), Now: time.Now()}); err != nil {
		return nil, fmt.Errorf("whatsapp settings: %w", err)
	}
	year := time.Now().Year()
	var ids []int64
	for _, d := range demoProperties {
		id, err := seedProperty(ctx, q, acc.ID, d, year)
		if err != nil {
			return nil, err
		}
		if terms, ok := demoPaymentTerms[d.slug]; ok {
			terms.ID = id
			if err := q.SeedPaymentTerms(ctx, terms); err != nil {
				return nil, fmt.Errorf("payment terms of %s: %w", d.slug, err)
			}
		}
		if preset, ok := demoPolicies[d.slug]; ok {
			pol, _ := booking.Preset(preset)
			if _, err := booking.SavePolicy(ctx, tx, acc.ID, id, pol, "seed", time.Now()); err != nil {
				return nil, fmt.Errorf("cancellation policy of %s: %w", d.slug, err)
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// demoTransfer is the demo's bank account: a CBU of 22 digits and a CUIT
// of 11 whose check digits are right (a form that validates them accepts
// them), and an alias. It belongs to nobody.
var demoTransfer = dbq.SeedPaymentTermsParams{
	PayMercadopago: true, PayTransfer: true, PayCash: true,
	TransferCbu: "0340001200000123456784", TransferAlias: "cabana.bosque.demo", TransferHolder: "Marta Quiroga",
	TransferCuit: "27234567891", TransferBank: "Banco Patagonia", TransferInPesos: true,
}

// demoPaymentTerms are the payment terms of the demo properties that take
// transfers (the others keep the defaults: Mercado Pago and cash): the
// dollar cabin, transfers asked in pesos at the locked rate, no Mercado Pago
// surcharge, the balance due a week before arrival; and a peso cabin.
var demoPaymentTerms = map[string]dbq.SeedPaymentTermsParams{
	"cabana-bosque-usd": withTerms(demoTransfer, 0, 7),
	"los-arrayanes":     withTerms(demoTransfer, 0, 3),
}

// demoPolicies give the demo properties different cancellation presets, so
// a newcomer sees each of them on the booking pages (Los Arrayanes keeps the
// default, Moderada).
var demoPolicies = map[string]string{
	"mirador-del-lago":        booking.PresetEstricta,
	"depto-centro-bariloche":  booking.PresetFlexible,
	"posada-habitacion-doble": booking.PresetConfirmatoria,
	"cabana-bosque-usd":       booking.PresetPenitencial,
}

func withTerms(t dbq.SeedPaymentTermsParams, surchargeBP, balanceDueDays int32) dbq.SeedPaymentTermsParams {
	t.MpSurchargeBp, t.BalanceDueDays = surchargeBP, balanceDueDays
	return t
}

// seedProperty creates one demo property with its summer and winter seasons
// from year on.
func seedProperty(ctx context.Context, q *dbq.Queries, accountID int64, d demoProperty, year int) (int64, error) {
	var weekend *money.Money
	if d.weekend > 0 {
		w := money.FromUnits(d.weekend)
		weekend = &w
	}
	p, err := q.CreateProperty(ctx, dbq.CreatePropertyParams{
		AccountID: accountID, Slug: d.slug, Name: d.name, Kind: d.kind, Capacity: int32(d.capacity),
		IncludedGuests: int32(d.included), ExtraGuestFee: money.FromUnits(d.extraGuest),
		Description: d.description, Location: d.location, CheckInTime: "15:00", CheckOutTime: "10:00",
		BasePrice: money.FromUnits(d.base), WeekendPrice: weekend, WeekendNights: []int16{5, 6},
		CleaningFee: money.FromUnits(d.cleaning), DepositPercent: 30, MinNights: int32(d.minNights),
		HoldMinutes: 30, Active: true, Currency: d.currency,
	})
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", d.slug, err)
	}
	for _, s := range demoSeasons(d, year) {
		s.PropertyID = p.ID
		if _, err := q.CreateSeason(ctx, s); err != nil {
			return 0, fmt.Errorf("create season for %s: %w", d.slug, err)
		}
	}
	return p.ID, nil
}

// demoSeasons are a yearly summer and winter-holiday season, priced above the
// property's base price, starting in the given year.
func demoSeasons(d demoProperty, year int) []dbq.CreateSeasonParams {
	three := int32(3)
	return []dbq.CreateSeasonParams{
		{Name: "Temporada de verano", StartsOn: date(year, 12, 15), EndsOn: date(year+1, 2, 28),
			NightlyPrice: money.FromUnits(d.base * 14 / 10), MinNights: &three, RepeatsYearly: true},
		{Name: "Vacaciones de invierno", StartsOn: date(year, 7, 10), EndsOn: date(year, 7, 31),
			NightlyPrice: money.FromUnits(d.base * 16 / 10), MinNights: &three, RepeatsYearly: true},
	}
}

// seedReservations books a few stays through the same booking core guests use.
// demoRate is the demo's manual dollar rate: 1 USD = $ 1.185,50.
const demoRate rates.Rate = 11_855_000

func seedRate(ctx context.Context, a *app.App) error {
	acc, err := db.Q(a.Pool()).GetAccountBySlug(ctx, demoAccountSlug)
	if err != nil {
		return fmt.Errorf("seed rate: %w", err)
	}
	if _, err := a.Rates().SetManual(ctx, acc.ID, "USD", demoRate, nil); err != nil {
		return fmt.Errorf("seed rate: %w", err)
	}
	return nil
}

func seedReservations(ctx context.Context, svc *booking.Service, ids []int64) error {
	today := booking.LocalDate(time.Now(), svc.Locations.Get("America/Argentina/Buenos_Aires"))
	stays := []struct {
		prop                 int
		from, nights, guests int
		name, phone, channel string
		confirm              bool
	}{
		{0, 3, 4, 2, "Lucía Fernández", "11 5555-1234", "whatsapp", true},
		{1, 10, 5, 5, "Familia Gómez", "+54 9 351 555 9876", "direct", true},
		{2, 1, 3, 2, "Tomás Rossi", "+54 9 294 455 1122", "web", false},
		{3, 5, 3, 2, "Ana y Pablo", "0294 15 455-7788", "phone", true},
		{0, 20, 3, 4, "Carolina Méndez", "+54 9 11 4444 5555", "web", true},
		{4, 7, 4, 2, "John Miller", "+1 415 555 0134", "direct", true},
	}
	// The dollar cabin's guest chose a bank transfer.
	method := map[string]string{"John Miller": booking.MethodTransfer}
	for _, s := range stays {
		ci := today.AddDate(0, 0, s.from)
		h, err := svc.PlaceHold(ctx, booking.HoldRequest{
			PropertyID: ids[s.prop], CheckIn: booking.FormatDate(ci), CheckOut: booking.FormatDate(ci.AddDate(0, 0, s.nights)),
			Guests: s.guests, GuestName: s.name, GuestPhone: s.phone, Channel: s.channel, Actor: "seed",
			PaymentMethod: method[s.name],
		})
		if err != nil {
			return fmt.Errorf("seed reservation for %s: %w", s.name, err)
		}
		if s.confirm {
			if _, err := svc.Transition(ctx, h.Reservation.ID, booking.ActionConfirm, "seed", "seña recibida"); err != nil {
				return fmt.Errorf("confirm %s: %w", h.Reservation.Code, err)
			}
		}
	}
	return nil
}

func printDemoLogin(w io.Writer, cfg platform.Config, what string) {
	fmt.Fprintf(w, "%s\n  owner login: %s\n  password:    %s\n  site:        %s\n", what, demoEmail, demoPassword, cfg.BaseURL)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
