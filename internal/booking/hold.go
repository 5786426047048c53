package booking

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

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

	req.GuestName = strings.TrimSpace(req.GuestName)
	if n := utf8.RuneCountInString(req.GuestName); n < 2 || n > 120 {
		verr.add("guest_name", "Escribí tu nombre (entre 2 y 120 caracteres).")
	}
	if phone, err := NormalizePhone(req.GuestPhone); err != nil {
		verr.add("guest_phone", "Teléfono inválido: escribilo con código de área, por ejemplo 11 5555-1234 o +54 9 11 5555 1234.")
	} else {
		req.GuestPhone = phone
	}
	req.GuestEmail = strings.TrimSpace(req.GuestEmail)
	if req.GuestEmail != "" {
		if a, err := mail.ParseAddress(req.GuestEmail); err != nil || a.Address != req.GuestEmail ||
			!strings.Contains(req.GuestEmail[strings.LastIndex(req.GuestEmail, "@"):], ".") || len(req.GuestEmail) > 254 {
			verr.add("guest_email", "Email inválido.")
		} else {
			req.GuestEmail = strings.ToLower(req.GuestEmail)
		}
	}
	if utf8.RuneCountInString(req.Note) > 2000 {
		verr.add("note", "La nota es demasiado larga (máximo 2000 caracteres).")
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
		Actor: req.Actor, JobKind: ExpireHoldArgs{}.Kind(),
	}
	if s.PaymentLinks {
		params.LinkJobKind = PaymentLinkJobKind
	}
	var row dbq.CreateHoldRow
	for attempt := 0; ; attempt++ {
		params.Code = NewCode(LocalDate(now, p.Timezone))
		row, err = dbq.New(s.DB).CreateHold(ctx, params)
		switch {
		// A code collision (1 in 16 million per day) just draws another.
		case pgCode(err) == "23505" && attempt < 5:
			continue
		// Contention, not an answer: try again a few times, then it is "taken".
		case isRetryable(err) && attempt < 3:
			s.Metrics.SerializationRetries.Inc()
			time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
			continue
		}
		break
	}
	switch {
	case err == nil:
	case errors.Is(err, pgx.ErrNoRows), isOverlap(err), isRetryable(err):
		// Still contended after retries: to the guest, the nights are not available.
		s.Metrics.ReservationsOverlap.WithLabelValues(req.Channel).Inc()
		return Hold{}, ErrDateOverlap
	default:
		return Hold{}, fmt.Errorf("booking: place hold: %w", err)
	}
	if params.LinkJobKind != "" {
		// The link job was inserted by the statement itself; tell the workers.
		_ = dbq.New(s.DB).WakeQueue(ctx, PaymentsQueue)
	}
	s.Metrics.ReservationsCreated.WithLabelValues(req.Channel).Inc()
	r := fromRow(dbq.Reservation(row))
	r.PropertyName, r.PropertySlug = p.Name, p.Slug
	return Hold{Reservation: r, Quote: q, Property: p}, nil
}

// Get returns a reservation by code.
func (s *Service) Get(ctx context.Context, code string) (Reservation, error) {
	row, err := dbq.New(s.DB).GetReservationByCode(ctx, code)
	if errors.Is(err, pgx.ErrNoRows) {
		return Reservation{}, ErrNotFound
	}
	if err != nil {
		return Reservation{}, fmt.Errorf("booking: get %s: %w", code, err)
	}
	r := fromRow(row.Reservation)
	r.PropertyName, r.PropertySlug = row.PropertyName, row.PropertySlug
	return r, nil
}
