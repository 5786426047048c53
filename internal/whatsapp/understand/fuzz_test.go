package understand

import (
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzUnderstand(f *testing.F) {
	for _, s := range []string{"hola", "del 10 al 15 de enero para 2", "RES261126AB12CD", "31/2 al 3/3"} {
		f.Add(s)
	}
	todays := []time.Time{thu, fri, sat, sun, dec, jun, day(2028, 2, 29), day(2099, 12, 31)}
	f.Fuzz(func(t *testing.T, msg string) {
		for _, today := range todays {
			u := Message(msg, today)
			if u.CheckIn.IsZero() != u.CheckOut.IsZero() {
				t.Fatalf("Message(%q): check-in %v but check-out %v", msg, u.CheckIn, u.CheckOut)
			}
			if !u.CheckIn.IsZero() {
				n := u.CheckOut.Sub(u.CheckIn)
				if n <= 0 || n > maxNights*24*time.Hour || u.CheckIn.Before(today) {
					t.Fatalf("Message(%q, %s): stay %s–%s", msg, fd(today), fd(u.CheckIn), fd(u.CheckOut))
				}
				if u.CheckIn.Hour() != 0 || u.CheckIn.Location() != time.UTC || u.CheckOut.Hour() != 0 {
					t.Fatalf("Message(%q): dates are not civil: %v %v", msg, u.CheckIn, u.CheckOut)
				}
			}
			if u.Guests < 0 || u.Guests > maxGuests || u.Adults < 0 || u.Children < 0 ||
				((u.Adults > 0 || u.Children > 0) && u.Guests != 0 && u.Adults+u.Children != u.Guests) {
				t.Fatalf("Message(%q): guests %d (%d+%d)", msg, u.Guests, u.Adults, u.Children)
			}
			if u.Choice < 0 || u.Choice > maxChoice {
				t.Fatalf("Message(%q): choice %d", msg, u.Choice)
			}
			if !utf8.ValidString(u.Name) && utf8.ValidString(msg) {
				t.Fatalf("Message(%q): name %q is not UTF-8", msg, u.Name)
			}
			if u.Code != "" && len(u.Code) != 15 {
				t.Fatalf("Message(%q): code %q", msg, u.Code)
			}
			if u.DateHint != "" && u.CheckIn.IsZero() {
				t.Fatalf("Message(%q): hint %q without dates", msg, u.DateHint)
			}
		}
	})
}
