package booking

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// phoneE164 is the database CHECK constraint on stored phones.
var phoneE164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// phoneExamples are the documented examples; also the fuzz seed corpus.
var phoneExamples = []struct {
	in   string
	want string // "" means the input is rejected
}{
	// Argentine national forms become +54 9 (mobile).
	{"11 5555-1234", "+5491155551234"},
	{"1155551234", "+5491155551234"},
	{"011 15 5555-1234", "+5491155551234"},
	{"(011) 15-5555-1234", "+5491155551234"},
	{"011 5555 1234", "+5491155551234"},
	{"11.5555.1234", "+5491155551234"},
	{"  11 5555-1234  ", "+5491155551234"},
	{"351 15 555-1234", "+5493515551234"},
	{"0351 15 555-1234", "+5493515551234"},
	{"351 555-1234", "+5493515551234"},
	{"3541 15 55-1234", "+5493541551234"},
	// International forms.
	{"+54 9 11 5555 1234", "+5491155551234"},
	{"+5491155551234", "+5491155551234"},
	{"0054 9 11 5555 1234", "+5491155551234"},
	{"+54 11 5555-1234", "+5491155551234"},
	{"+54 9 351 555-1234", "+5493515551234"},
	{"+1 415 555 2671", "+14155552671"},
	{"+14155552671", "+14155552671"},
	{"001 415 555 2671", "+14155552671"},
	{"+34 612 345 678", "+34612345678"},
	{"+44 (20) 7946-0958", "+442079460958"},
	{"+598 9412 3456", "+59894123456"},
	// Rejected.
	{"", ""},
	{"   ", ""},
	{"abc", ""},
	{"1234", ""},
	{"+0 11", ""},
	{"+0 11 5555 1234", ""},
	{"11 5555-123", ""}, // 9 digits
	{"11 5555-12345", ""},
	{"+54 11 5555 12345 678", ""},
	{"11-5555-1234 ext 5", ""},
	{"+", ""},
	{"00", ""},
	{"+1 234 567", ""},           // 7 digits after +
	{"+1234567890123456", ""},    // 16 digits
	{"++54 9 11 5555 1234", ""},  // second +
	{"+54 9 11 5555 1234+", ""},  // + inside
	{"11/5555/1234", ""},         // slash is not a separator
	{"+54 9 11 5555 1234 x", ""}, // trailing letter
	{"11 5555 1234 11 5555 1234 11 5555 1234", ""}, // too long
	{"١١ ٥٥٥٥-١٢٣٤", ""},                           // Arabic-Indic digits
}

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	for _, tt := range phoneExamples {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizePhone(tt.in)
			if tt.want == "" {
				require.Error(t, err, "got %q", got)
				require.Empty(t, got)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Regexp(t, phoneE164, got)
			again, err := NormalizePhone(got)
			require.NoError(t, err)
			require.Equal(t, got, again, "NormalizePhone must be idempotent")
		})
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, tt := range phoneExamples {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := NormalizePhone(in)
		if err != nil {
			if got != "" {
				t.Fatalf("NormalizePhone(%q) = %q with error %v; want empty result", in, got, err)
			}
			return
		}
		if !phoneE164.MatchString(got) {
			t.Fatalf("NormalizePhone(%q) = %q, which the database CHECK %s refuses", in, got, phoneE164)
		}
		again, err := NormalizePhone(got)
		if err != nil {
			t.Fatalf("NormalizePhone(%q) = %q, but NormalizePhone(%q) fails: %v", in, got, got, err)
		}
		if again != got {
			t.Fatalf("NormalizePhone(%q) = %q, but NormalizePhone(%q) = %q: not idempotent", in, got, got, again)
		}
	})
}
