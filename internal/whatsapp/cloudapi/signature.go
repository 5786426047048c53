package cloudapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrBadSignature is returned for a missing, malformed or wrong X-Hub-Signature-256.
// One error for every cause: the webhook answers 401 the same way whichever
// part was wrong, so a prober learns nothing from the difference.
var ErrBadSignature = errors.New("whatsapp: bad signature")

const signaturePrefix = "sha256="

// VerifySignature checks header ("sha256=<64 hex>") against
// HMAC-SHA256(secret, body), in constant time. It must run on the raw bytes
// as received, before any parsing: Meta signs the exact body it sent (escaped
// unicode included), and a re-encoded body would never match.
//
// Hex digits may be upper or lower case: Meta sends lower case, and since the
// hex is decoded to bytes before comparing, accepting both costs nothing and
// weakens nothing. The "sha256=" prefix must be exactly that (the legacy
// "sha1=" header of X-Hub-Signature is refused: SHA-1 is not what we check).
func VerifySignature(secret string, body []byte, header string) error {
	if secret == "" {
		// An unset secret would make every forged body "verify" against HMAC(""),
		// which anyone can compute.
		return ErrBadSignature
	}
	hexsum, ok := strings.CutPrefix(strings.TrimSpace(header), signaturePrefix)
	if !ok || len(hexsum) != 2*sha256.Size {
		return ErrBadSignature
	}
	got, err := hex.DecodeString(hexsum)
	if err != nil {
		return ErrBadSignature
	}
	if !hmac.Equal(got, mac(secret, body)) {
		return ErrBadSignature
	}
	return nil
}

// Sign returns the X-Hub-Signature-256 value for body, as Meta computes it.
func Sign(secret string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(secret, body))
}

func mac(secret string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}
