package booking

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// NewCode makes a reservation code: RES + yymmdd of the property's local
// creation date + 6 uppercase hex digits from crypto/rand.
func NewCode(localDate time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "RES" + localDate.Format("060102") + strings.ToUpper(hex.EncodeToString(b[:]))
}

// NewGuestToken returns 128 random bits as hex: the secret in a guest's link.
func NewGuestToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
