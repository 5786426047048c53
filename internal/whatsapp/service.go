package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
	"alojamientos/internal/receipts"
	"alojamientos/internal/whatsapp/assistant"
	"alojamientos/internal/whatsapp/cloudapi"
)

// Provider names WhatsApp in the inbox and metrics.
const Provider = "whatsapp"

// Queue is the River queue of WhatsApp jobs: a guest's answer never waits
// behind payment calls or channel syncs.
const Queue = "whatsapp"

// Window is how long after a guest's last message free text may be sent.
const Window = 24 * time.Hour

// DefaultStateTTL is how long the assistant remembers a quiet chat.
const DefaultStateTTL = assistant.DefaultStateTTL

// Service is the WhatsApp side of the program. Build it in main.
type Service struct {
	DB      booking.DB
	Booking *booking.Service
	Client  *Client
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
	// Receipts takes the photos and files guests send as bank-transfer
	// receipts (receipts.go); nil: media messages go to the assistant.
	Receipts *receipts.Service
	// AppSecret verifies X-Hub-Signature-256; VerifyToken answers the handshake.
	AppSecret   string
	VerifyToken string
	// PhoneNumberID is the default sending number (WHATSAPP_PHONE_NUMBER_ID).
	PhoneNumberID string
	// BaseURL is the public address, for links to the guest's reservation page and the inbox.
	BaseURL  string
	StateTTL time.Duration

	mu      sync.Mutex
	lastErr string
	lastAt  time.Time
}

// Deps are what the WhatsApp side is built from (internal/app assembles them).
type Deps struct {
	Config  platform.Config
	DB      booking.DB
	Booking *booking.Service
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
	// Receipts adds the receipts guests send as media.
	Receipts *receipts.Service
}

// New builds the service from the configuration (WHATSAPP_*, BASE_URL).
func New(d Deps) *Service {
	return &Service{DB: d.DB, Booking: d.Booking, Clock: d.Clock, Log: d.Log, Metrics: d.Metrics, Receipts: d.Receipts,
		Client:    NewClient(d.Config.WhatsAppAPIBaseURL, d.Config.WhatsAppAccessToken, d.Log),
		AppSecret: d.Config.WhatsAppAppSecret, VerifyToken: d.Config.WhatsAppVerifyToken,
		PhoneNumberID: d.Config.WhatsAppPhoneNumberID, BaseURL: d.Config.BaseURL}
}

// Settings are an account's WhatsApp settings with defaults filled in.
type Settings struct {
	AccountID        int64
	Enabled          bool
	PhoneNumberID    string
	OwnerPhone       string
	AssistantEnabled bool
	Language         string
	Templates        map[string]string
	// AccessToken is the account's own Graph API token ('' for the
	// installation's): it proved PhoneNumberID is the account's and sends from it.
	AccessToken string
}

// Template events: each has an approved template used outside the 24-hour window.
const (
	EventHoldCreated     = "hold_created"
	EventPaymentReceived = "payment_received"
	EventHoldExpiring    = "hold_expiring"
	EventHoldExpired     = "hold_expired"
	EventCheckInReminder = "checkin_reminder"
	EventCancelled       = "cancelled"
	// EventBalanceReminder: the balance is due in three days (booking.SweepBalances).
	EventBalanceReminder = "balance_reminder"
	EventOwnerAlert      = "owner_alert"
	EventFollowUp        = "follow_up"
	EventReceiptRejected = "receipt_rejected"
	// EventWithdrawn: the guest used the "Botón de arrepentimiento" (notify_withdrawal.go).
	EventWithdrawn = "withdrawn"
)

// DefaultTemplates are the names README tells owners to register with Meta.
var DefaultTemplates = map[string]string{
	EventHoldCreated:     "reserva_pendiente",
	EventPaymentReceived: "reserva_confirmada",
	EventHoldExpiring:    "reserva_por_vencer",
	EventHoldExpired:     "reserva_vencida",
	EventCheckInReminder: "recordatorio_llegada",
	EventCancelled:       "reserva_cancelada",
	EventBalanceReminder: "recordatorio_saldo",
	EventOwnerAlert:      "alerta_duenio",
	EventFollowUp:        "retomar_conversacion",
	EventReceiptRejected: "comprobante_rechazado",
	EventWithdrawn:       "arrepentimiento_registrado",
	EventRefundDone:      "devolucion_hecha",
	EventDepositReturned: "deposito_devuelto",
}

// ErrNoNumber means the account has no number to send from.
var ErrNoNumber = errors.New("whatsapp: no number assigned to this account")

// ErrNotConfigured means the account has no WhatsApp settings or sending is off.
var ErrNotConfigured = errors.New("whatsapp: not configured for this account")

// LoadSettings reads an account's settings; ErrNotConfigured when it has none.
func (s *Service) LoadSettings(ctx context.Context, accountID int64) (Settings, error) {
	row, err := db.Q(s.DB).GetWhatsAppSettings(ctx, accountID)
	if errors.Is(err, db.ErrNotFound) {
		return Settings{AccountID: accountID, Language: "es_AR", Templates: templatesWithDefaults(nil)}, ErrNotConfigured
	}
	if err != nil {
		return Settings{}, fmt.Errorf("whatsapp: settings of account %d: %w", accountID, err)
	}
	var t map[string]string
	_ = json.Unmarshal(row.Templates, &t)
	st := Settings{AccountID: accountID, Enabled: row.Enabled, PhoneNumberID: row.PhoneNumberID,
		OwnerPhone: row.OwnerPhone, AssistantEnabled: row.AssistantEnabled, Language: row.TemplateLanguage,
		Templates: templatesWithDefaults(t), AccessToken: row.AccessToken}
	if st.PhoneNumberID == "" && s.PhoneNumberID != "" {
		// The installation's number, only where its guests' messages come back
		// to this account (a single-business installation): never the number
		// another account holds.
		holder, err := db.Q(s.DB).WhatsAppAccountForNumber(ctx, s.PhoneNumberID)
		switch {
		case err == nil && holder == accountID:
			st.PhoneNumberID = s.PhoneNumberID
		case err != nil && !errors.Is(err, db.ErrNotFound):
			return Settings{}, fmt.Errorf("whatsapp: settings of account %d: %w", accountID, err)
		}
	}
	if st.Language == "" {
		st.Language = "es_AR"
	}
	return st, nil
}

func templatesWithDefaults(t map[string]string) map[string]string {
	out := make(map[string]string, len(DefaultTemplates))
	for k, v := range DefaultTemplates {
		out[k] = v
		if n := t[k]; n != "" {
			out[k] = n
		}
	}
	return out
}

// SaveSettings stores an account's settings as given, number and token
// included (templates: only the names that differ from the defaults are
// kept). It trusts its caller: an owner's form goes through SaveOwnerSettings.
func (s *Service) SaveSettings(ctx context.Context, st Settings) error {
	custom := map[string]string{}
	for k, v := range st.Templates {
		if def, ok := DefaultTemplates[k]; ok && v != "" && v != def {
			custom[k] = v
		}
	}
	tj, _ := json.Marshal(custom)
	lang := st.Language
	if lang == "" {
		lang = "es_AR"
	}
	_, err := db.Q(s.DB).UpsertWhatsAppSettings(ctx, dbq.UpsertWhatsAppSettingsParams{
		AccountID: st.AccountID, Enabled: st.Enabled, PhoneNumberID: st.PhoneNumberID, OwnerPhone: st.OwnerPhone,
		AssistantEnabled: st.AssistantEnabled, TemplateLanguage: lang, Templates: tj, AccessToken: st.AccessToken,
		Now: s.Clock.Now().UTC()})
	if db.IsUnique(err) {
		return ErrNumberTaken
	}
	if err != nil {
		return fmt.Errorf("whatsapp: save settings: %w", err)
	}
	return nil
}

// Why an owner's number was not assigned.
var (
	// ErrNumberUnproven: a new number and no token of the account to prove it with.
	ErrNumberUnproven = errors.New("whatsapp: a new number needs the account's own access token")
	// ErrNumberNotOwned: the Graph API does not answer for the number with the account's token.
	ErrNumberNotOwned = errors.New("whatsapp: the number is not in the token's WhatsApp Business account")
	// ErrTokenRejected: the Graph API refused the token itself (code 190).
	ErrTokenRejected = errors.New("whatsapp: access token rejected")
	// ErrNumberCheckFailed: the Graph API could not be asked (network, 5xx, no base URL).
	ErrNumberCheckFailed = errors.New("whatsapp: could not check the number")
	// ErrNumberTaken: another account holds the number.
	ErrNumberTaken = errors.New("whatsapp: number assigned to another account")
)

// SaveOwnerSettings stores what an owner typed on the settings page. A
// number id other than the one the account holds is assigned only when the
// Graph API answers for it with the account's own token (typedToken, or the
// one stored before); without one, only the installation's admin assigns
// numbers (AssignNumber). A token typed for the same number is checked the
// same way before it replaces the stored one. An empty number leaves the
// account on the installation's number and token. It returns the node Meta
// answered with when a number was checked.
func (s *Service) SaveOwnerSettings(ctx context.Context, st Settings, typedToken string) (*cloudapi.PhoneNumber, error) {
	row, err := db.Q(s.DB).GetWhatsAppSettings(ctx, st.AccountID)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("whatsapp: settings of account %d: %w", st.AccountID, err)
	}
	st.AccessToken = row.AccessToken
	var proven *cloudapi.PhoneNumber
	switch {
	case st.PhoneNumberID == "":
		st.AccessToken = ""
	case st.PhoneNumberID != row.PhoneNumberID || typedToken != "":
		token := typedToken
		if token == "" {
			token = row.AccessToken
		}
		if token == "" {
			return nil, ErrNumberUnproven
		}
		n, err := s.Client.LookUpNumber(ctx, token, st.PhoneNumberID)
		var apiErr *cloudapi.APIError
		switch {
		case errors.As(err, &apiErr) && (apiErr.Code == 190 || apiErr.HTTPStatus == 401):
			return nil, ErrTokenRejected
		case errors.As(err, &apiErr) && (apiErr.Code == 100 || apiErr.HTTPStatus == 404):
			return nil, ErrNumberNotOwned
		case err != nil:
			return nil, fmt.Errorf("%w: %w", ErrNumberCheckFailed, err)
		}
		st.AccessToken, proven = token, &n
	}
	if err := s.SaveSettings(ctx, st); err != nil {
		return nil, err
	}
	return proven, nil
}

// AssignNumber is the installation's admin giving an account a number its
// token serves (`alojamientos whatsapp assign`): no proof asked, but never a
// number another account holds.
func (s *Service) AssignNumber(ctx context.Context, accountID int64, phoneNumberID string) error {
	if phoneNumberID == "" || len(phoneNumberID) > 30 || strings.Trim(phoneNumberID, "0123456789") != "" {
		return fmt.Errorf("whatsapp: assign number: %q is not a phone number id (digits only)", phoneNumberID)
	}
	q := db.Q(s.DB)
	holder, err := q.WhatsAppNumberHolder(ctx, phoneNumberID)
	switch {
	case err == nil && holder.AccountID != accountID:
		return fmt.Errorf("%w (%s)", ErrNumberTaken, holder.Slug)
	case err != nil && !errors.Is(err, db.ErrNotFound):
		return fmt.Errorf("whatsapp: assign number: %w", err)
	}
	_, err = q.AssignWhatsAppNumber(ctx, dbq.AssignWhatsAppNumberParams{AccountID: accountID, PhoneNumberID: phoneNumberID,
		Now: s.Clock.Now().UTC()})
	if db.IsUnique(err) {
		return ErrNumberTaken
	}
	if err != nil {
		return fmt.Errorf("whatsapp: assign number: %w", err)
	}
	return nil
}

// clientFor sends with the account's own token when it has one.
func (s *Service) clientFor(st Settings) *cloudapi.Client { return s.Client.WithToken(st.AccessToken) }

// noteAPIResult remembers the last failure of the Graph API for /healthz.
func (s *Service) noteAPIResult(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.lastErr = ""
		return
	}
	s.lastErr, s.lastAt = err.Error(), s.Clock.Now()
}

// Health says whether sending works as far as this instance knows: "ok",
// "unconfigured" (no access token) or "failing" with the last API failure.
func (s *Service) Health() (status, detail string) {
	if !s.Client.Configured() {
		return "unconfigured", "WHATSAPP_ACCESS_TOKEN is not set"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lastErr != "" && s.Clock.Now().Sub(s.lastAt) < 15*time.Minute {
		return "failing", s.lastErr
	}
	return "ok", ""
}
