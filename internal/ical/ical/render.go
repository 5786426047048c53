package ical

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// OutEvent is one interval of our export feed.
type OutEvent struct {
	UID     string
	Summary string
	Start   time.Time // first night
	End     time.Time // exclusive
	Stamp   time.Time // DTSTAMP: fixed per event so the output is deterministic
}

// ProdID names us in every feed.
const ProdID = "-//Alojamientos//Calendario de ocupacion//ES"

// Render writes a whole calendar, RFC 5545 exactly: CRLF, lines folded at 75
// octets without splitting a UTF-8 character, TEXT escaped, all-day events
// with an exclusive end. The same events always give the same bytes.
func Render(name string, events []OutEvent) []byte {
	var b bytes.Buffer
	b.Grow(256 + len(events)*220)
	line(&b, "BEGIN:VCALENDAR")
	line(&b, "VERSION:2.0")
	line(&b, "PRODID:"+ProdID)
	line(&b, "CALSCALE:GREGORIAN")
	line(&b, "METHOD:PUBLISH")
	if name != "" {
		line(&b, "X-WR-CALNAME:"+EscapeText(name))
	}
	for _, e := range events {
		line(&b, "BEGIN:VEVENT")
		line(&b, "UID:"+EscapeText(e.UID))
		line(&b, "DTSTAMP:"+e.Stamp.UTC().Format("20060102T150405Z"))
		line(&b, "DTSTART;VALUE=DATE:"+e.Start.Format("20060102"))
		line(&b, "DTEND;VALUE=DATE:"+e.End.Format("20060102"))
		line(&b, "SUMMARY:"+EscapeText(e.Summary))
		line(&b, "TRANSP:OPAQUE")
		line(&b, "END:VEVENT")
	}
	line(&b, "END:VCALENDAR")
	return b.Bytes()
}

// line writes one content line, folded: at most 75 octets per physical line
// (the leading space of a continuation counts), never inside a character.
func line(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}

var textEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// EscapeText escapes a TEXT value.
func EscapeText(s string) string { return textEscaper.Replace(s) }
