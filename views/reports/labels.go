package reports

import "strconv"

var channels = map[string]string{
	"direct": "Directo", "web": "Web", "whatsapp": "WhatsApp", "phone": "Teléfono", "walk_in": "En persona",
	"airbnb": "Airbnb", "booking": "Booking.com", "vrbo": "Vrbo", "other": "Otro",
}

// ChannelLabel is the name of a reservation channel as owners say it.
func ChannelLabel(code string) string {
	if l, ok := channels[code]; ok {
		return l
	}
	return code
}

// Percent is "63 %".
func Percent(n int) string { return strconv.Itoa(n) + " %" }
