package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/platform"
)

// Provider names WhatsApp in the inbox and metrics.
const Provider = "whatsapp"

// Queue is the River queue of WhatsApp jobs: a guest's answer never waits
// behind payment calls or channel syncs.
const Queue = "whatsapp"

// Window is how long after a guest's last message free text may be sent.
const Window = 24 * time.Hour

// DefaultStateTTL is how long the assistant remembers a quiet chat.
const DefaultStateTTL = 2 * time.Hour

// Service is the WhatsApp side of the program. Build it in main.
type Service struct {
	DB      booking.DB
	Booking *booking.Service
	Client  *Client
	Clock   platform.Clock
	Log     *slog.Logger
	Metrics *platform.Metrics
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

// New builds the service from the configuration (WHATSAPP_*, BASE_URL).
func New(cfg platform.Config, db booking.DB, svc *booking.Service, clock platform.Clock,
	log *slog.Logger, metrics *platform.Metrics) *Service {
	return &Service{DB: db, Booking: svc, Clock: clock, Log: log, Metrics: metrics,
		Client:    NewClient(cfg.WhatsAppAPIBaseURL, cfg.WhatsAppAccessToken, log),
		AppSecret: cfg.WhatsAppAppSecret, VerifyToken: cfg.WhatsAppVerifyToken,
		PhoneNumberID: cfg.WhatsAppPhoneNumberID, BaseURL: cfg.BaseURL}
}

func (s *Service) stateTTL() time.Duration {
	if s.StateTTL > 0 {
		return s.StateTTL
	}
	return DefaultStateTTL
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
}

// Template events: each has an approved template used outside the 24-hour window.
const (
	EventHoldCreated     = "hold_created"
	EventPaymentReceived = "payment_received"
	EventHoldExpiring    = "hold_expiring"
	EventHoldExpired     = "hold_expired"
	EventCheckInReminder = "checkin_reminder"
	EventCancelled       = "cancelled"
	EventOwnerAlert      = "owner_alert"
	EventFollowUp        = "follow_up"
)

// DefaultTemplates are the names README tells owners to register with Meta.
var DefaultTemplates = map[string]string{
	EventHoldCreated:     "reserva_pendiente",
	EventPaymentReceived: "reserva_confirmada",
	EventHoldExpiring:    "reserva_por_vencer",
	EventHoldExpired:     "reserva_vencida",
	EventCheckInReminder: "recordatorio_llegada",
	EventCancelled:       "reserva_cancelada",
	EventOwnerAlert:      "alerta_duenio",
	EventFollowUp:        "retomar_conversacion",
}

// ErrNotConfigured means the account has no WhatsApp settings or sending is off.
var ErrNotConfigured = errors.New("whatsapp: not configured for this account")

// LoadSettings reads an account's settings; ErrNotConfigured when it has none.
func (s *Service) LoadSettings(ctx context.Context, accountID int64) (Settings, error) {
	row, err := dbq.New(s.DB).GetWhatsAppSettings(ctx, accountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Settings{AccountID: accountID, Language: "es_AR", Templates: templatesWithDefaults(nil)}, ErrNotConfigured
	}
	if err != nil {
		return Settings{}, fmt.Errorf("whatsapp: settings of account %d: %w", accountID, err)
	}
	var t map[string]string
	_ = json.Unmarshal(row.Templates, &t)
	st := Settings{AccountID: accountID, Enabled: row.Enabled, PhoneNumberID: row.PhoneNumberID,
		OwnerPhone: row.OwnerPhone, AssistantEnabled: row.AssistantEnabled, Language: row.TemplateLanguage,
		Templates: templatesWithDefaults(t)}
	if st.PhoneNumberID == "" {
		st.PhoneNumberID = s.PhoneNumberID
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

// SaveSettings stores an account's settings (templates: only the names that differ from the defaults are kept).
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
	_, err := dbq.New(s.DB).UpsertWhatsAppSettings(ctx, dbq.UpsertWhatsAppSettingsParams{
		AccountID: st.AccountID, Enabled: st.Enabled, PhoneNumberID: st.PhoneNumberID, OwnerPhone: st.OwnerPhone,
		AssistantEnabled: st.AssistantEnabled, TemplateLanguage: lang, Templates: tj, Now: s.Clock.Now().UTC()})
	if err != nil {
		return fmt.Errorf("whatsapp: save settings: %w", err)
	}
	return nil
}

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
