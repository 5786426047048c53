package booking_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
)

func TestGuestPath(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/r/RES2601019ABCDE?t=0123abcd", booking.GuestPath("RES2601019ABCDE", "0123abcd"))
	require.Equal(t, "/r/RES1/status?t=x", booking.GuestPath("RES1", "x", "status"))
	require.Equal(t, "/r/RES1/pago/reintentar?t=x", booking.GuestPath("RES1", "x", "pago", "reintentar"))
	require.Equal(t, "https://a.example/r/RES1/pago?t=x", booking.GuestURL("https://a.example", "RES1", "x", "pago"))
	require.Equal(t, "https://a.example/r/RES1?t=x", booking.GuestURL("https://a.example/", "RES1", "x"))

	// A token that needs escaping survives the round trip intact.
	token := "a+b c&t=evil/?#%"
	link := booking.GuestURL("https://a.example", "RES 1/x", token, "pago")
	require.Equal(t, "https://a.example/r/RES%201%2Fx/pago?t=a%2Bb+c%26t%3Devil%2F%3F%23%25", link)
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.Equal(t, []string{token}, u.Query()["t"])
	require.Equal(t, "/r/RES 1/x/pago", u.Path)
	require.Empty(t, u.Fragment)
}
