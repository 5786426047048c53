package whatsapp

import "alojamientos/internal/whatsapp/cloudapi"

// The transport's names that callers of the service use (the webhook
// handler, the settings page, bench and soak), re-exported so they keep
// needing one import. The code and its documentation live in cloudapi.
type (
	Client         = cloudapi.Client
	APIError       = cloudapi.APIError
	InboundMessage = cloudapi.InboundMessage
	PhoneNumber    = cloudapi.PhoneNumber
)

var (
	NewClient       = cloudapi.NewClient
	Sign            = cloudapi.Sign
	VerifySignature = cloudapi.VerifySignature
	ErrUnconfigured = cloudapi.ErrUnconfigured
	ErrNotWhatsApp  = cloudapi.ErrNotWhatsApp
)
