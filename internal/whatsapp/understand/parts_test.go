package understand

import (
	"slices"
	"testing"
	"time"
)

// The reader's steps, each on its own table: a failure here names the step
// that misread, where TestMessage only says the whole reading was wrong.

func TestTokenize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
	}{
		{"Tenés lugar?", []string{"tenes", "lugar"}},
		{"10/1-15/1", []string{"10/1", "-", "15/1"}},
		{"10/01 - 15/01", []string{"10/01", "-", "15/01"}},
		{"3noches 2personas", []string{"3", "noches", "2", "personas"}},
		{"la 1ro", []string{"la", "1ro"}},
		{"el fin de semana", []string{"el", "finde"}},
		{"feriado largo", []string{"finde", "largo"}},
		{"fin de año", []string{"ano", "nuevo"}},
		{"10-15 de enero", []string{"10", "-", "15", "de", "enero"}},
		{"👍", []string{"ok"}},
		{"q onda, x favor", []string{"que", "onda", "por", "favor"}},
		{"AÑO Ñandú", []string{"ano", "nandu"}},
		{"reserbar", []string{"reservar"}},
		{"", nil},
	}
	for _, c := range cases {
		if got := tokenize(c.in); !slices.Equal(got, c.want) {
			t.Errorf("tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFindGuests(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                       string
		adults, children, guests int
	}{
		{"somos 4", 0, 0, 4},
		{"2 adultos y 1 nene", 2, 1, 3},
		{"somos 4 con 2 chicos", 4, 2, 6}, // "con" right after the total adds
		{"somos 4, 2 chicos", 2, 2, 4},    // otherwise the children are inside it
		{"somos 2 y 2 nenes", 2, 2, 4},
		{"con mi pareja", 0, 0, 2},
		{"voy solo", 0, 0, 1},
		{"hablar con una persona", 0, 0, 0},
		{"para 2 noches", 0, 0, 0},
		{"para 3", 0, 0, 3},
		{"99 personas", 0, 0, 0},
	}
	for _, c := range cases {
		a, k, g := findGuests(tokenize(c.in))
		if a != c.adults || k != c.children || g != c.guests {
			t.Errorf("findGuests(%q) = %d+%d=%d, want %d+%d=%d", c.in, a, k, g, c.adults, c.children, c.guests)
		}
	}
}

func TestFindChoice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want int
	}{
		{"1", 1},
		{"la 2", 2},
		{"la segunda", 2},
		{"opción tres", 3},
		{"la 2da", 2},
		{"me quedo con el primero", 1},
		{"la 2 noches", 0},
		{"para el 10 de enero", 0},
		{"25", 0},
	}
	for _, c := range cases {
		if got := findChoice(tokenize(c.in)); got != c.want {
			t.Errorf("findChoice(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestFindName(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"me llamo ana gómez", "Ana Gómez"},
		{"Soy Ana, quería saber", "Ana"},
		{"soy de Córdoba", ""},
		{"mi nombre es JUAN PÉREZ", "Juan Pérez"},
		{"a nombre de María José López Díaz", "María José López"},
		{"soy yo", ""},
	}
	for _, c := range cases {
		if got := findName(c.in); got != c.want {
			t.Errorf("findName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEaster(t *testing.T) {
	t.Parallel()
	for year, want := range map[int]time.Time{
		2000: civil(2000, time.April, 23), 2024: civil(2024, time.March, 31), 2025: civil(2025, time.April, 20),
		2026: civil(2026, time.April, 5), 2027: civil(2027, time.March, 28), 2038: civil(2038, time.April, 25),
	} {
		if got := easter(year); !got.Equal(want) {
			t.Errorf("easter(%d) = %s, want %s", year, fd(got), fd(want))
		}
	}
}

func TestMovable(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want time.Time }{
		{civil(2026, time.June, 16), civil(2026, time.June, 15)},         // Tuesday back to Monday
		{civil(2026, time.June, 17), civil(2026, time.June, 15)},         // Wednesday back to Monday
		{civil(2025, time.November, 20), civil(2025, time.November, 24)}, // Thursday forward
		{civil(2026, time.June, 19), civil(2026, time.June, 22)},         // Friday forward
		{civil(2026, time.August, 17), civil(2026, time.August, 17)},     // a Monday stays
		{civil(2026, time.June, 20), civil(2026, time.June, 20)},         // a Saturday stays
	}
	for _, c := range cases {
		if got := movable(c.in); !got.Equal(c.want) {
			t.Errorf("movable(%s %s) = %s, want %s", c.in.Weekday(), fd(c.in), fd(got), fd(c.want))
		}
	}
}
