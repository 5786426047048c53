package platform

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

type loggerKey struct{}

// NewLogger builds the JSON logger. Every string attribute goes through Mask,
// so a phone, an email or a token never lands in a log whole.
func NewLogger(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level)) // validated in LoadConfig
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level: lv,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString:
				key := strings.ToLower(a.Key)
				if strings.Contains(key, "token") || strings.Contains(key, "secret") || strings.Contains(key, "password") {
					return slog.String(a.Key, MaskSecret(a.Value.String()))
				}
				return slog.String(a.Key, Mask(a.Value.String()))
			case slog.KindAny:
				if err, ok := a.Value.Any().(error); ok {
					return slog.String(a.Key, Mask(err.Error()))
				}
			}
			return a
		},
	}))
}

// WithLogger stores a request-scoped logger in ctx.
func WithLogger(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, loggerKey{}, l)
}

// Logger returns the request-scoped logger, or fallback when there is none.
func Logger(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*slog.Logger); ok {
		return l
	}
	return fallback
}

var (
	emailRe = regexp.MustCompile(`([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+)`)
	tokenRe = regexp.MustCompile(`([?&](?:t|token|access_token)=)[^&\s"]+`)
)

// Mask hides emails, phone numbers and token query parameters inside s,
// keeping just enough to tell two apart when reading logs.
func Mask(s string) string {
	if s == "" {
		return s
	}
	s = tokenRe.ReplaceAllString(s, "${1}***")
	s = emailRe.ReplaceAllString(s, "${1}***@${2}")
	return maskPhones(s)
}

// maskPhones replaces numbers written with a leading "+" (E.164 or with
// spaces, dots, dashes and parentheses) by "***" and their last two digits.
// A following group of digits that would make the number longer than E.164
// allows (15 digits) is not part of it: a date or an amount after a phone stays.
func maskPhones(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '+' || i+1 >= len(s) || !isDigit(s[i+1]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j, digits, end := i+1, 0, i+1
		for j < len(s) {
			k := j
			for k < len(s) && strings.IndexByte(" .-()", s[k]) >= 0 && k-j < 2 {
				k++
			}
			g := k
			for g < len(s) && isDigit(s[g]) {
				g++
			}
			if g == k || digits+(g-k) > 15 {
				break
			}
			digits += g - k
			end, j = g, g
			// A closing parenthesis belongs to the number.
			if j < len(s) && s[j] == ')' {
				j++
			}
		}
		if digits < 8 {
			b.WriteString(s[i:end])
		} else {
			b.WriteString("***" + s[end-2:end])
		}
		i = end
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// MaskSecret keeps only a short prefix of a secret.
func MaskSecret(s string) string {
	if len(s) <= 4 {
		return "***"
	}
	return s[:4] + "***"
}

// Quieter returns a logger that drops records below min, for chatty
// libraries (River reports its job counts every few seconds at info).
func Quieter(l *slog.Logger, min slog.Level) *slog.Logger {
	return slog.New(minLevelHandler{Handler: l.Handler(), min: min})
}

type minLevelHandler struct {
	slog.Handler
	min slog.Level
}

func (h minLevelHandler) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= h.min && h.Handler.Enabled(ctx, lv)
}

func (h minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{Handler: h.Handler.WithGroup(name), min: h.min}
}
