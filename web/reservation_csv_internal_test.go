package web

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A phone cell is written without an apostrophe only when it is what the
// database allows (E.164: "+" and digits); anything else that starts like a
// formula is neutralised as every other cell is.
func TestCSVPhoneCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"+5491155551234":  "+54 9 1155551234",
		"+5411155551234":  "+54 11155551234", // a landline: no mobile 9
		"+12025550123":    "+1 2025550123",
		"+79161234567":    "+7 9161234567",
		"+447911123456":   "+44 7911123456",
		"+59899123456":    "+598 99123456",
		"+886912345678":   "+886 912345678",
		"":                "",
		"+54 9 11 5555":   "'+54 9 11 5555",
		"+1+1":            "'+1+1",
		"=1+1":            "'=1+1",
		"+5491155551234a": "'+5491155551234a",
		"-5491155551234":  "'-5491155551234",
	} {
		require.Equal(t, want, csvPhone(in), "csvPhone(%q)", in)
	}
}
