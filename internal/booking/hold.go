package booking

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// Channels a reservation may come from.
var Channels = map[string]bool{
	"direct": true, "web": true, "whatsapp": true, "phone": true, "walk_in": true,
	"airbnb": true, "booking": true, "vrbo": true, "other": true,
}

// HoldRequest asks for nights. Strings are as the guest typed them.
type HoldRequest struct {
	PropertyID int64
	CheckIn    string
	CheckOut   string
	Guests     int
	GuestName  string
	GuestPhone string
	GuestEmail string
	Note       string
	Channel    string
	Actor      string // who asked: "api", "guest", "user:<id>", "whatsapp"
	// PaymentMethod is the guest's choice among the property's methods
	// (MethodMercadoPago, MethodTransfer), or "" when not chosen yet.
	PaymentMethod string
	// AcceptedTerms is the guest's tick on "Leí y acepto las condiciones"
	// (the web booking form requires it; the time is kept on the booking).
	AcceptedTerms bool
	// ClientNet is the network an anonymous web request came from (IPv4
	// address, IPv6 /64); its live holds are capped.
	ClientNet string
}

// Anonymous reports whether nobody we know asked: the public API, the
// booking page or a WhatsApp chat. Anonymous holds are capped (the
// property's longest anonymous stay, live holds per phone and per client
// network); the owner's own holds are not.
func (r HoldRequest) Anonymous() bool {
	return r.Actor == "api" || r.Actor == "guest" || r.Actor == "whatsapp"
}

// Caps on live anonymous holds in one account.
const (
	MaxLiveHoldsPerPhone = 2
	MaxLiveHoldsPerNet   = 3
)

// HoldLimitError refuses an anonymous hold because its client network has
// MaxLiveHoldsPerNet live holds; one is released by RetryAfter at the latest.
type HoldLimitError struct {
	RetryAfter time.Duration
}

func (e *HoldLimitError) Error() string {
	return fmt.Sprintf("booking: too many live holds from one client network (retry in %s)", e.RetryAfter)
}

// Hold is a created hold with its quote.
type Hold struct {
	Reservation Reservation
	Quote       Quote
	Property    Property
}

// ValidStay checks dates against the property's rules and returns them parsed.
// Every problem is reported at once, field by field.
func (s *Service) ValidStay(p Property, checkIn, checkOut string, guests int, verr *ValidationError) (time.Time, time.Time, bool) {
	ci, errIn := ParseDate(checkIn)
	if errIn != nil {
		verr.add("check_in", "Fecha de llegada inválida: usá el formato AAAA-MM-DD.")
	}
	co, errOut := ParseDate(checkOut)
	if errOut != nil {
		verr.add("check_out", "Fecha de salida inválida: usá el formato AAAA-MM-DD.")
	}
	if errIn != nil || errOut != nil {
		return ci, co, false
	}
	if ci.Before(s.Today(p)) {
		verr.add("check_in", "La fecha de llegada ya pasó.")
	}
	if !ci.Before(co) {
		verr.add("check_out", "La fecha de salida debe ser posterior a la de llegada.")
	} else if NightsBetween(ci, co) > MaxStayNights {
		verr.add("check_out", fmt.Sprintf("La estadía no puede superar las %d noches.", MaxStayNights))
	}
	if guests < 1 {
		verr.add("guests", "Tiene que haber al menos un huésped.")
	} else if guests > p.Rules.Capacity {
		verr.add("guests", fmt.Sprintf("La capacidad máxima es de %d huéspedes.", p.Rules.Capacity))
	}
	return ci, co, len(verr.Fields) == 0
}

// PropertyForStay loads a property a guest may book, or a validation error on property_id.
func (s *Service) PropertyForStay(ctx context.Context, id int64) (Property, error) {
	if id <= 0 {
		return Property{}, &ValidationError{Fields: map[string]string{"property_id": "Falta el alojamiento."}}
	}
	p, err := s.LoadProperty(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && !p.Active) {
		return Property{}, &ValidationError{Fields: map[string]string{"property_id": "El alojamiento no existe o no está disponible."}}
	}
	return p, err
}

// ValidateHold checks a hold request completely and returns its quote, with nothing written.
func (s *Service) ValidateHold(ctx context.Context, req *HoldRequest) (Property, Quote, error) {
	p, err := s.PropertyForStay(ctx, req.PropertyID)
	if err != nil {
		return Property{}, Quote{}, err
	}
	var verr ValidationError
	ci, co, datesOK := s.ValidStay(p, req.CheckIn, req.CheckOut, req.Guests, &verr)

	if datesOK && req.Anonymous() && NightsBetween(ci, co) > p.MaxAnonymousNights {
		verr.add("check_out", longStayMessage(p.MaxAnonymousNights))
		datesOK = false
	}
	name, msg := CheckGuestName(req.GuestName)
	req.GuestName = name
	if !req.Anonymous() && msg != "" && utf8.ValidString(name) {
		// The owner may write what they need ("Ana (amiga de Juan)"); notices only use names that pass.
		msg = ""
		if n := utf8.RuneCountInString(name); n < 2 || n > 120 {
			msg = "Escribí el nombre del huésped (entre 2 y 120 caracteres)."
		}
	}
	if msg != "" {
		verr.add("guest_name", msg)
	}
	if phone, err := NormalizePhone(req.GuestPhone); err != nil {
		verr.add("guest_phone", "Teléfono inválido: escribilo con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555 1234.")
	} else {
		req.GuestPhone = phone
	}
	req.GuestEmail = strings.TrimSpace(req.GuestEmail)
	if req.GuestEmail != "" {
		email, ok := NormalizeEmail(req.GuestEmail)
		if !ok {
			verr.add("guest_email", "Email inválido.")
		}
		req.GuestEmail = email
	}
	if utf8.RuneCountInString(req.Note) > 2000 {
		verr.add("note", "La nota es demasiado larga (máximo 2000 caracteres).")
	}
	if !p.Pay.Offers(req.PaymentMethod) {
		verr.add("payment_method", "Ese medio de pago no está disponible en este alojamiento.")
	}
	if req.Channel == "" {
		req.Channel = "direct"
	}
	if !Channels[req.Channel] {
		verr.add("channel", "Canal desconocido.")
	}
	if !datesOK {
		return p, Quote{}, &verr
	}
	q, err := Price(p.Rules, p.Seasons, ci, co, req.Guests)
	if err != nil {
		var qerr *ValidationError
		if errors.As(err, &qerr) {
			for k, v := range qerr.Fields {
				verr.add(k, v)
			}
		} else {
			return p, Quote{}, err
		}
	}
	if err := verr.orNil(); err != nil {
		return p, Quote{}, err
	}
	return p, q, nil
}

// LongStay says whether the stay is longer than an anonymous guest may hold
// at the property, and if so why, in Spanish.
func (p Property) LongStay(checkIn, checkOut time.Time) (string, bool) {
	if NightsBetween(checkIn, checkOut) > p.MaxAnonymousNights {
		return longStayMessage(p.MaxAnonymousNights), true
	}
	return "", false
}

func longStayMessage(n int) string {
	return fmt.Sprintf("Para reservar más de %d noches escribile al alojamiento: lo arreglan directamente.", n)
}

// breakdownJSON is the stored shape of a quote.
type breakdownJSON struct {
	Nights         []nightJSON `json:"nights"`
	NightsSubtotal string      `json:"nights_subtotal"`
	CleaningFee    string      `json:"cleaning_fee"`
	ExtraGuests    int         `json:"extra_guests"`
	ExtraGuestFee  string      `json:"extra_guest_fee"`
	DepositPercent int         `json:"deposit_percent"`
}

type nightJSON struct {
	Date   string `json:"date"`
	Price  string `json:"price"`
	Source string `json:"source"`
}

// PlaceHold validates the request, prices it and takes the nights in one
// transaction with the job that will expire it. The constraint decides:
// ErrDateOverlap when any night is taken.
func (s *Service) PlaceHold(ctx context.Context, req HoldRequest) (Hold, error) {
	p, q, err := s.ValidateHold(ctx, &req)
	if err != nil {
		return Hold{}, err
	}
	stale := s.RefreshFeeds(ctx, p.ID)
	h, err := s.TakeNights(ctx, p, q, req)
	if err == nil {
		s.RecordFeedRisk(ctx, h.Reservation, stale)
	}
	return h, err
}

// TakeNights places a hold already checked by ValidateHold (which also
// normalised req). Callers that lock around the insert validate first so the
// lock is held only for the transaction.
func (s *Service) TakeNights(ctx context.Context, p Property, q Quote, req HoldRequest) (Hold, error) {
	bdJSON, err := encodePrice(q)
	if err != nil {
		return Hold{}, err
	}
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	expires := now.Add(time.Duration(p.HoldMinutes) * time.Minute)
	params := dbq.CreateHoldParams{
		PropertyID: p.ID, CheckIn: q.CheckIn, CheckOut: q.CheckOut, AccountID: p.AccountID,
		Guests: int32(req.Guests), GuestName: req.GuestName, GuestPhone: req.GuestPhone, GuestEmail: req.GuestEmail,
		Note: strings.TrimSpace(req.Note), Channel: req.Channel, HoldExpiresAt: expires, PriceBreakdown: bdJSON,
		Total: q.Total, Deposit: q.Deposit, Currency: q.Currency, GuestToken: NewGuestToken(), Now: now,
		Actor: req.Actor, JobKind: ExpireHoldArgs{}.Kind(), PaymentMethod: req.PaymentMethod,
		MpSurchargeBp: int32(p.Pay.SurchargeBP), MpMaxInstallments: int32(p.Pay.MaxInstallments),
		BalanceDueDays: int32(p.Pay.BalanceDueDays), CancelPolicy: p.Policy.JSON(),
		DamageDeposit: p.DamageDeposit, DamageDepositMethod: depositMethod(p),
	}
	if req.AcceptedTerms {
		params.TermsAcceptedAt = &now
	}
	// A guest who chose a transfer gets no Mercado Pago link until they ask for one.
	if s.PaymentLinks && p.Pay.MercadoPago && req.PaymentMethod != MethodTransfer {
		params.LinkJobKind = PaymentLinkJobKind
	}
	if l := s.lockRate(ctx, p); l != nil {
		e4 := int64(l.Rate)
		params.ExchangeRateE4, params.ExchangeRateSource, params.ExchangeRateAt = &e4, &l.Source, &l.At
	}
	capped := req.Anonymous() && !s.UnlimitedHolds
	if req.Anonymous() && req.ClientNet != "" {
		params.ClientNet = &req.ClientNet
	}
	var row dbq.CreateHoldRow
	for attempt := 0; ; attempt++ {
		params.Code = NewCode(LocalDate(now, p.Timezone))
		if capped {
			row, err = s.createCappedHold(ctx, params, now)
		} else {
			row, err = db.Q(s.DB).CreateHold(ctx, params)
		}
		switch {
		// A code collision (1 in 16 million per day) just draws another.
		case db.IsUnique(err) && attempt < 5:
			continue
		// Contention, not an answer: try again a few times, then it is "taken".
		case db.IsRetry(err) && attempt < 3:
			s.Metrics.SerializationRetries.Inc()
			time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
			continue
		}
		break
	}
	var verr *ValidationError
	var lerr *HoldLimitError
	switch {
	case err == nil:
	case errors.As(err, &verr), errors.As(err, &lerr):
		return Hold{}, err
	case errors.Is(err, db.ErrNotFound), db.IsExclusion(err), db.IsRetry(err):
		// Still contended after retries: to the guest, the nights are not available.
		s.Metrics.ReservationsOverlap.WithLabelValues(req.Channel).Inc()
		return Hold{}, ErrDateOverlap
	default:
		return Hold{}, fmt.Errorf("booking: place hold: %w", err)
	}
	if params.LinkJobKind != "" {
		// The link job was inserted by the statement itself; tell the workers.
		_ = db.Q(s.DB).WakeQueue(ctx, PaymentsQueue)
	}
	s.Metrics.ReservationsCreated.WithLabelValues(req.Channel).Inc()
	r := fromRow(dbq.Reservation(row))
	r.PropertyName, r.PropertySlug = p.Name, p.Slug
	return Hold{Reservation: r, Quote: q, Property: p}, nil
}

// createCappedHold places an anonymous hold unless its phone already has
// MaxLiveHoldsPerPhone live holds in the account (a field error) or its client
// network MaxLiveHoldsPerNet (a *HoldLimitError). Advisory locks on the phone
// and the network make the count and the insert one step, however many
// requests race.
func (s *Service) createCappedHold(ctx context.Context, params dbq.CreateHoldParams, now time.Time) (dbq.CreateHoldRow, error) {
	var row dbq.CreateHoldRow
	net := ""
	if params.ClientNet != nil {
		net = *params.ClientNet
	}
	err := db.InTx(ctx, s.DB, func(tx db.Tx) error {
		q := db.Q(tx)
		keys := []int64{lockKey(params.AccountID, "phone", params.GuestPhone)}
		if net != "" {
			keys = append(keys, lockKey(params.AccountID, "net", net))
		}
		slices.Sort(keys)
		if err := q.LockHoldCaps(ctx, keys); err != nil {
			return err
		}
		live, err := q.CountLiveHolds(ctx, dbq.CountLiveHoldsParams{AccountID: params.AccountID, Phone: params.GuestPhone,
			ClientNet: net, Now: &now})
		if err != nil {
			return err
		}
		if live.ByPhone >= MaxLiveHoldsPerPhone {
			return &ValidationError{Fields: map[string]string{"guest_phone": fmt.Sprintf(
				"Ya hay %d reservas pendientes de seña con este teléfono. Pagá la seña de una o esperá a que venza para pedir otra.",
				live.ByPhone)}}
		}
		if net != "" && live.ByNet >= MaxLiveHoldsPerNet {
			return &HoldLimitError{RetryAfter: max(time.Second, live.NetFreesAt.Sub(now))}
		}
		row, err = q.CreateHold(ctx, params)
		return err
	})
	return row, err
}

// lockKey is a transaction advisory lock key for one phone or network of an account.
func lockKey(accountID int64, kind, value string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "hold-cap:%d:%s:%s", accountID, kind, value)
	return int64(h.Sum64())
}

// Get returns a reservation by code.
func (s *Service) Get(ctx context.Context, code string) (Reservation, error) {
	row, err := db.Q(s.DB).GetReservationByCode(ctx, code)
	if errors.Is(err, db.ErrNotFound) {
		return Reservation{}, ErrNotFound
	}
	if err != nil {
		return Reservation{}, fmt.Errorf("booking: get %s: %w", code, err)
	}
	r := fromRow(row.Reservation)
	r.PropertyName, r.PropertySlug = row.PropertyName, row.PropertySlug
	return r, nil
}
