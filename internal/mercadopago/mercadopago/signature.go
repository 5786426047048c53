package mercadopago

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Signature errors. Each is a refusal (401); none says which part was wrong
// to the caller, only to the log.
var (
	ErrNoSignature  = errors.New("mercadopago: missing x-signature")
	ErrBadSignature = errors.New("mercadopago: malformed x-signature")
	ErrMismatch     = errors.New("mercadopago: signature does not match")
	ErrReplay       = errors.New("mercadopago: signature timestamp outside the tolerance")
	ErrNoSecret     = errors.New("mercadopago: MERCADOPAGO_WEBHOOK_SECRET is not set")
)

// Signature is a parsed x-signature header: "ts=…,v1=…".
type Signature struct {
	TS string
	V1 [][]byte
}

// ParseSignature reads "ts=1742505638683,v1=<64 hex>". Parts are separated by
// commas, keys are case-insensitive, spaces around parts are ignored, unknown
// keys are skipped. ts must be digits; every v1 must be 32 bytes of hex.
func ParseSignature(h string) (Signature, error) {
	var sig Signature
	if strings.TrimSpace(h) == "" {
		return sig, ErrNoSignature
	}
	if len(h) > 1024 {
		return sig, ErrBadSignature
	}
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return Signature{}, ErrBadSignature
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "ts":
			if sig.TS != "" || v == "" || len(v) > 16 || strings.Trim(v, "0123456789") != "" {
				return Signature{}, ErrBadSignature
			}
			sig.TS = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != sha256.Size {
				return Signature{}, ErrBadSignature
			}
			sig.V1 = append(sig.V1, b)
		}
	}
	if sig.TS == "" || len(sig.V1) == 0 {
		return Signature{}, ErrBadSignature
	}
	return sig, nil
}

// Manifest is the signed template: "id:{data.id};request-id:{x-request-id};ts:{ts};"
// with the pair of a missing part left out.
func Manifest(dataID, requestID, ts string) string {
	var b strings.Builder
	if dataID != "" {
		b.WriteString("id:" + dataID + ";")
	}
	if requestID != "" {
		b.WriteString("request-id:" + requestID + ";")
	}
	if ts != "" {
		b.WriteString("ts:" + ts + ";")
	}
	return b.String()
}

// Sign is hex HMAC-SHA256(secret, Manifest(...)), as Mercado Pago computes v1.
func Sign(secret, dataID, requestID, ts string) string {
	return hex.EncodeToString(mac(secret, Manifest(dataID, requestID, ts)))
}

func mac(secret, manifest string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(manifest))
	return m.Sum(nil)
}

// SignatureTime reads ts as milliseconds since the epoch (current
// deliveries) or seconds (older examples).
func SignatureTime(ts string) (time.Time, bool) {
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	if n >= 1e11 { // later than 5138 in seconds: milliseconds
		return time.UnixMilli(n), true
	}
	return time.Unix(n, 0), true
}

// Verify checks x-signature against data.id (from the query, as received,
// then lowercased) and x-request-id, constant-time, and refuses a ts further
// than tolerance from now. tolerance <= 0 skips the time check (test vectors).
func Verify(secret, header, dataID, requestID string, now time.Time, tolerance time.Duration) error {
	if secret == "" {
		return ErrNoSecret
	}
	sig, err := ParseSignature(header)
	if err != nil {
		return err
	}
	ok := false
	for _, id := range candidates(dataID) {
		want := mac(secret, Manifest(id, requestID, sig.TS))
		for _, got := range sig.V1 {
			// Compare against every candidate so the time taken does not depend on which matched.
			if hmac.Equal(want, got) {
				ok = true
			}
		}
	}
	if !ok {
		return ErrMismatch
	}
	if tolerance > 0 {
		at, valid := SignatureTime(sig.TS)
		if !valid {
			return ErrReplay
		}
		if d := now.Sub(at); d > tolerance || d < -tolerance {
			return ErrReplay
		}
	}
	return nil
}

func candidates(dataID string) []string {
	if low := strings.ToLower(dataID); low != dataID {
		return []string{dataID, low}
	}
	return []string{dataID}
}
