package platform

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"email", "juan.perez@gmail.com", "j***@gmail.com"},
		{"email in text", "no se pudo enviar a juan.perez@gmail.com, reintento", "no se pudo enviar a j***@gmail.com, reintento"},
		{"email with plus and subdomain", "ana+reservas@mail.example.com.ar", "a***@mail.example.com.ar"},
		{"two emails", "from a.b@x.com to c.d@y.org", "from a***@x.com to c***@y.org"},
		{"E.164 phone", "+5491155551234", "***34"},
		{"E.164 phone in text", "whatsapp to +5491155551234 failed", "whatsapp to ***34 failed"},
		{"phone with spaces and dashes", "+54 9 11 5555-1234", "***34"},
		{"US phone", "+1 415 555 2671", "***71"},
		{"short + number is not a phone", "+54 9", "+54 9"},
		{"t query param", "/r/RES1?t=abcdef", "/r/RES1?t=***"},
		{"t query param followed by another", "/r/RES1?t=abcdef&lang=es", "/r/RES1?t=***&lang=es"},
		{"token query param", "GET /api/x?a=1&token=s3cr3t", "GET /api/x?a=1&token=***"},
		{"access_token query param", "https://graph.facebook.com/v25.0/123?access_token=EAAB123", "https://graph.facebook.com/v25.0/123?access_token=***"},
		{"URL in quotes", `url="/r/RES1?t=abcdef"`, `url="/r/RES1?t=***"`},
		{"other query params untouched", "/api/availability?from=2026-12-01&to=2026-12-05", "/api/availability?from=2026-12-01&to=2026-12-05"},
		{"date", "2026-12-01", "2026-12-01"},
		{"date range", "2026-12-01 2026-12-05", "2026-12-01 2026-12-05"},
		{"amount", "12500.00", "12500.00"},
		{"big amount", "1234567890.00", "1234567890.00"},
		{"amount with currency", "total 12500.00 ARS, seña 3750.00", "total 12500.00 ARS, seña 3750.00"},
		{"reservation code", "RES251008CC8EA0", "RES251008CC8EA0"},
		{"reservation code in text", "reservation RES251008CC8EA0 confirmed", "reservation RES251008CC8EA0 confirmed"},
		{"timestamp with offset", "2026-12-01T10:00:00-03:00", "2026-12-01T10:00:00-03:00"},
		{"national phone without + is left alone", "11 5555-1234", "11 5555-1234"},
		{"everything at once",
			"guest j.p@x.com phone +5491155551234 link /r/RES251008CC8EA0?t=abc check_in 2026-12-01 total 12500.00",
			"guest j***@x.com phone ***34 link /r/RES251008CC8EA0?t=*** check_in 2026-12-01 total 12500.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, Mask(tt.in))
		})
	}
}

// A phone next to other numbers in the same line must not swallow them, and a
// phone written the way NormalizePhone accepts it (parentheses, dots) must
// still be hidden.
func TestMaskPhoneBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"phone then date", "+5491155551234 2026-12-01", "***34 2026-12-01"},
		{"phone then amount", "+5491155551234 12500.00", "***34 12500.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, Mask(tt.in))
		})
	}
	for _, in := range []string{"+54 (11) 5555-1234", "+54 11 5555.1234", "+54.11.5555.1234"} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got := Mask(in)
			require.NotContains(t, got, "5555", "phone %q leaks as %q", in, got)
			require.NotContains(t, got, "1234", "phone %q leaks as %q", in, got)
		})
	}
}

func TestMaskSecret(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "***"},
		{"a", "***"},
		{"abcd", "***"},
		{"abcde", "abcd***"},
		{"0123456789abcdef0123456789abcdef", "0123***"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, MaskSecret(tt.in))
		})
	}
}

// logLines parses every line of buf as a JSON object.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "line is not JSON: %s", sc.Text())
		out = append(out, m)
	}
	require.NoError(t, sc.Err())
	return out
}

func TestNewLoggerMasks(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := NewLogger(&buf, "info")

	token := "0123456789abcdef0123456789abcdef"
	log.Info("hold created",
		"guest_phone", "+5491155551234",
		"guest_email", "juan.perez@gmail.com",
		"token", token,
		"GuestToken", token,
		"session_secret", "supersecretvalue",
		"password", "hunter2hunter2",
		slog.Any("error", fmt.Errorf("whatsapp: send: %w", errors.New("recipient juan.perez@gmail.com +5491155551234 rejected"))),
		"code", "RES251008CC8EA0",
		"check_in", "2026-12-01",
		"total", "12500.00",
		"path", "/r/RES251008CC8EA0?t="+token,
		"nights", 3,
	)
	log.Warn("message to +5491155551234 failed for juan.perez@gmail.com")
	log.With("guest_phone", "+34 612 345 678").Info("with attrs", slog.Group("guest", "phone", "+14155552671", "access_token", "EAABsecret"))

	lines := logLines(t, &buf)
	require.Len(t, lines, 3)

	l := lines[0]
	require.Equal(t, "hold created", l["msg"])
	require.Equal(t, "INFO", l["level"])
	require.Equal(t, "***34", l["guest_phone"])
	require.Equal(t, "j***@gmail.com", l["guest_email"])
	require.Equal(t, "0123***", l["token"])
	require.Equal(t, "0123***", l["GuestToken"])
	require.Equal(t, "supe***", l["session_secret"])
	require.Equal(t, "hunt***", l["password"])
	require.Equal(t, "whatsapp: send: recipient j***@gmail.com ***34 rejected", l["error"])
	require.Equal(t, "RES251008CC8EA0", l["code"])
	require.Equal(t, "2026-12-01", l["check_in"])
	require.Equal(t, "12500.00", l["total"])
	require.Equal(t, "/r/RES251008CC8EA0?t=***", l["path"])
	require.EqualValues(t, 3, l["nights"])

	require.Equal(t, "message to ***34 failed for j***@gmail.com", lines[1]["msg"], "the message itself is masked")
	require.Equal(t, "WARN", lines[1]["level"])

	require.Equal(t, "***78", lines[2]["guest_phone"])
	guest, ok := lines[2]["guest"].(map[string]any)
	require.True(t, ok, "group is an object: %v", lines[2]["guest"])
	require.Equal(t, "***71", guest["phone"])
	require.Equal(t, "EAAB***", guest["access_token"])

	raw := buf.String()
	for _, leak := range []string{"5555", "juan.perez", token, "supersecret", "hunter2hunter2", "612 345", "4155552671", "EAABsecret"} {
		require.NotContains(t, raw, leak)
	}
}

func TestNewLoggerLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level string
		want  []string
	}{
		{"debug", []string{"d", "i", "w", "e"}},
		{"info", []string{"i", "w", "e"}},
		{"warn", []string{"w", "e"}},
		{"error", []string{"e"}},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := NewLogger(&buf, tt.level)
			log.Debug("d")
			log.Info("i")
			log.Warn("w")
			log.Error("e")
			var got []string
			for _, l := range logLines(t, &buf) {
				got = append(got, l["msg"].(string))
			}
			require.Equal(t, tt.want, got)
		})
	}
}

func TestLoggerContext(t *testing.T) {
	t.Parallel()
	fallback := slog.New(slog.DiscardHandler)
	require.Same(t, fallback, Logger(context.Background(), fallback))

	var buf bytes.Buffer
	reqLog := NewLogger(&buf, "info").With("trace_id", "abc")
	ctx := WithLogger(context.Background(), reqLog)
	require.Same(t, reqLog, Logger(ctx, fallback))

	Logger(ctx, fallback).Info("hello")
	lines := logLines(t, &buf)
	require.Len(t, lines, 1)
	require.Equal(t, "abc", lines[0]["trace_id"])
}

func TestQuieterDropsRecordsBelowItsLevel(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := Quieter(NewLogger(&buf, "debug"), slog.LevelWarn).With("lib", "river")
	l.Info("producer: job counts")
	l.Warn("leader lost")
	out := buf.String()
	require.NotContains(t, out, "job counts")
	require.Contains(t, out, `"msg":"leader lost"`)
	require.Contains(t, out, `"lib":"river"`)
}
