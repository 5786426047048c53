// Package auth owns who may sign in: argon2id passwords, users and their
// roles (owner, staff), and server-side sessions kept in the shared store
// (Redis, or in process). It knows nothing of HTTP routes; web asks it, and the
// CSRF check and the session cookie live in web.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's second recommended set (m=19 MiB, t=2, p=1),
// about 20 ms here, cheap enough to run at every login and costly to brute force.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// ErrWeakPassword is a password shorter than MinPasswordLen.
var ErrWeakPassword = fmt.Errorf("auth: password must have at least %d characters", MinPasswordLen)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return "", ErrWeakPassword
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("auth: not an argon2id hash")
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("auth: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errors.New("auth: bad argon2 parameters")
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("auth: bad salt")
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("auth: bad key")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// tempAlphabet leaves out characters people confuse when reading a password
// aloud or copying it by hand: 0/o, 1/l/i.
const tempAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// GeneratePassword returns a random temporary password that is easy to read
// and type: four groups of four characters joined by dashes (19 characters,
// about 79 bits from crypto/rand), e.g. "k7mq-x2pa-9hwe-tc4n".
func GeneratePassword() (string, error) {
	const groups, size = 4, 4
	b := make([]byte, 0, groups*(size+1)-1)
	var buf [1]byte
	for len(b) < cap(b) {
		if len(b)%(size+1) == size {
			b = append(b, '-')
			continue
		}
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("auth: generate password: %w", err)
		}
		// Rejection sampling keeps every character equally likely.
		if int(buf[0]) >= 256-256%len(tempAlphabet) {
			continue
		}
		b = append(b, tempAlphabet[int(buf[0])%len(tempAlphabet)])
	}
	return string(b), nil
}
