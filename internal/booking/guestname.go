package booking

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameWord is one word of a person's name: letters (with their accents),
// joined by apostrophes or hyphens ("O'Neill", "Jean-Luc"), maybe closed by a
// period ("Sra."), or initials ("J.", "J.R.").
var nameWord = regexp.MustCompile(`^(?:[\p{L}\p{M}]\.)+$|^[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*\.?$`)

// CheckGuestName is the one rule for a guest's name, wherever it comes from
// (API, booking page, WhatsApp, the owner's dashboard). The name reaches
// WhatsApp templates and e-mails, so it must be a name: words of letters,
// never a link, an e-mail address, digits or markup. It returns the name with
// its spaces tidied, or the reason in Spanish it is refused.
func CheckGuestName(s string) (string, string) {
	name := strings.Join(strings.Fields(s), " ")
	switch n := utf8.RuneCountInString(name); {
	case !utf8.ValidString(name):
		return name, "El nombre tiene caracteres inválidos."
	case n < 2 || n > 120:
		return name, "Escribí tu nombre (entre 2 y 120 caracteres)."
	}
	lower := strings.ToLower(name)
	switch {
	case strings.ContainsRune(name, '@'):
		return name, "El nombre no puede ser un email: escribí solo el nombre y el apellido."
	case strings.Contains(lower, "://") || strings.Contains(lower, "www.") || looksLikeDomain(name):
		return name, "El nombre no puede tener links ni direcciones web."
	case strings.ContainsFunc(name, unicode.IsDigit):
		return name, "El nombre no puede tener números."
	}
	for _, w := range strings.Fields(name) {
		if !nameWord.MatchString(w) {
			return name, "El nombre solo puede tener letras, espacios, apóstrofos, guiones y puntos de iniciales."
		}
	}
	return name, ""
}

// looksLikeDomain spots "example.com" and "x.co": a period with letters right after it that are not initials.
func looksLikeDomain(s string) bool {
	for _, w := range strings.Fields(s) {
		if i := strings.IndexRune(strings.TrimSuffix(w, "."), '.'); i >= 0 && !nameWord.MatchString(w) {
			return true
		}
	}
	return false
}
