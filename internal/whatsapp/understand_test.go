package whatsapp

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Fixed todays: a Thursday, a Friday, a Saturday, a Sunday, late December and mid-year.
var (
	thu = day(2026, time.November, 26)
	fri = day(2026, time.November, 27)
	sat = day(2026, time.November, 28)
	sun = day(2026, time.November, 29)
	dec = day(2026, time.December, 28) // a Monday
	jun = day(2026, time.June, 10)     // a Wednesday
)

type stay struct{ in, out time.Time }

func nights(in time.Time, n int) stay { return stay{in, in.AddDate(0, 0, n)} }
func span(in, out time.Time) stay     { return stay{in, out} }

func TestUnderstand(t *testing.T) {
	t.Parallel()
	none := stay{}
	cases := []struct {
		today  time.Time
		msg    string
		intent Intent
		stay   stay
		guests int
		adults int
		kids   int
		code   string
		choice int
		name   string
	}{
		{thu, "hola", IntentGreeting, none, 0, 0, 0, "", 0, ""},
		{thu, "Buen día!", IntentGreeting, none, 0, 0, 0, "", 0, ""},
		{thu, "buenas tardes", IntentGreeting, none, 0, 0, 0, "", 0, ""},
		{thu, "holaa como va", IntentGreeting, none, 0, 0, 0, "", 0, ""},
		{thu, "tenés lugar para el finde? somos 4 🙌", IntentAvailability, span(fri, sun), 4, 0, 0, "", 0, ""},
		{fri, "tenés lugar para el finde? somos 4 🙌", IntentAvailability, span(fri, sun), 4, 0, 0, "", 0, ""},
		{sun, "tenes lugar este finde?", IntentAvailability, span(day(2026, 12, 4), day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{sat, "hay lugar este fin de semana", IntentAvailability, span(sat, sun), 0, 0, 0, "", 0, ""},
		{thu, "hola!! cuanto sale del 10 al 15 de enero para 2 personas", IntentPrice, span(day(2027, 1, 10), day(2027, 1, 15)), 2, 0, 0, "", 0, ""},
		{thu, "quiero reservar la 2", IntentBook, none, 0, 0, 0, "", 2, ""},
		{thu, "RES261126AB12CD", IntentStatus, none, 0, 0, 0, "RES261126AB12CD", 0, ""},
		{thu, "res261126ab12cd", IntentStatus, none, 0, 0, 0, "RES261126AB12CD", 0, ""},
		{thu, "necesito hablar con alguien", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "del 28 de diciembre al 3 de enero", IntentNone, span(day(2026, 12, 28), day(2027, 1, 3)), 0, 0, 0, "", 0, ""},
		{thu, "10 al 15/1", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "entre el 10 y el 15 de enero hay disponibilidad?", IntentAvailability, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "10/1 al 15/1", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "10/01 - 15/01 para 3", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 3, 0, 0, "", 0, ""},
		{thu, "15-01 al 18-01-2027", IntentNone, span(day(2027, 1, 15), day(2027, 1, 18)), 0, 0, 0, "", 0, ""},
		{thu, "10/1/27 al 12/1/27", IntentNone, span(day(2027, 1, 10), day(2027, 1, 12)), 0, 0, 0, "", 0, ""},
		{thu, "del 3 al 5", IntentNone, span(day(2026, 12, 3), day(2026, 12, 5)), 0, 0, 0, "", 0, ""},
		{thu, "del 27 al 29", IntentNone, span(fri, sun), 0, 0, 0, "", 0, ""},
		{thu, "el 10 de enero por 3 noches", IntentNone, nights(day(2027, 1, 10), 3), 0, 0, 0, "", 0, ""},
		{thu, "3 noches desde el 10/1", IntentNone, nights(day(2027, 1, 10), 3), 0, 0, 0, "", 0, ""},
		{thu, "una semana desde el 2 de febrero", IntentNone, nights(day(2027, 2, 2), 7), 0, 0, 0, "", 0, ""},
		{thu, "2 noches", IntentNone, none, 0, 0, 0, "", 0, ""},
		{fri, "el próximo fin de semana", IntentNone, span(day(2026, 12, 4), day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{thu, "el próximo fin de semana", IntentNone, span(fri, sun), 0, 0, 0, "", 0, ""},
		{sun, "el finde que viene tienen algo?", IntentAvailability, span(day(2026, 12, 4), day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{sat, "y el otro finde?", IntentNone, span(day(2026, 12, 4), day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{thu, "el finde largo", IntentNone, span(day(2026, 12, 24), day(2026, 12, 27)), 0, 0, 0, "", 0, ""},
		{thu, "finde largo de carnaval, 2 adultos y 1 niño", IntentNone, span(day(2027, 2, 5), day(2027, 2, 9)), 3, 2, 1, "", 0, ""},
		{jun, "está libre el finde largo de noviembre?", IntentAvailability, span(day(2026, 11, 20), day(2026, 11, 23)), 0, 0, 0, "", 0, ""},
		{thu, "3 noches desde el viernes", IntentNone, nights(fri, 3), 0, 0, 0, "", 0, ""},
		{fri, "3 noches desde el viernes", IntentNone, nights(fri, 3), 0, 0, 0, "", 0, ""},
		{thu, "desde el sábado hasta el martes", IntentNone, span(sat, day(2026, 12, 1)), 0, 0, 0, "", 0, ""},
		{thu, "desde mañana hasta el domingo", IntentNone, span(fri, sun), 0, 0, 0, "", 0, ""},
		{sat, "desde mañana hasta el domingo", IntentNone, span(sun, day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{thu, "para año nuevo", IntentNone, span(day(2026, 12, 31), day(2027, 1, 2)), 0, 0, 0, "", 0, ""},
		{dec, "tienen lugar para fin de año?", IntentAvailability, span(day(2026, 12, 31), day(2027, 1, 2)), 0, 0, 0, "", 0, ""},
		{thu, "para navidad somos 6", IntentNone, span(day(2026, 12, 24), day(2026, 12, 26)), 6, 0, 0, "", 0, ""},
		{thu, "disponivilidad para semana santa", IntentAvailability, span(day(2027, 3, 25), day(2027, 3, 28)), 0, 0, 0, "", 0, ""},
		{thu, "31/2 al 3/3", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "10/1 al 5/1", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "del 1/12 al 28/2", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "2 adultos y 1 niño", IntentNone, none, 3, 2, 1, "", 0, ""},
		{thu, "2 adultos 2 nenes", IntentNone, none, 4, 2, 2, "", 0, ""},
		{thu, "somos 2 mayores y 3 chicos", IntentNone, none, 5, 2, 3, "", 0, ""},
		{thu, "3 pax", IntentNone, none, 3, 0, 0, "", 0, ""},
		{thu, "para dos", IntentNone, none, 2, 0, 0, "", 0, ""},
		{thu, "somos cuatro", IntentNone, none, 4, 0, 0, "", 0, ""},
		{thu, "somos una pareja", IntentNone, none, 2, 0, 0, "", 0, ""},
		{thu, "solo yo", IntentNone, none, 1, 0, 0, "", 0, ""},
		{thu, "para el 10", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "buenas! somos 2 y 2 nenes, tienen algo para el finde largo?", IntentAvailability, span(day(2026, 12, 24), day(2026, 12, 27)), 4, 2, 2, "", 0, ""},
		{thu, "somos 4, 2 chicos", IntentNone, none, 4, 2, 2, "", 0, ""},
		{thu, "me llamo Ana Gómez", IntentNone, none, 0, 0, 0, "", 0, "Ana Gómez"},
		{thu, "soy ana, quiero reservar", IntentBook, none, 0, 0, 0, "", 0, "Ana"},
		{thu, "mi nombre es juan perez", IntentNone, none, 0, 0, 0, "", 0, "Juan Perez"},
		{thu, "a nombre de laura fernández porfa", IntentNone, none, 0, 0, 0, "", 0, "Laura Fernández"},
		{thu, "soy de cordoba y queria consultar", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "1", IntentNone, none, 0, 0, 0, "", 1, ""},
		{thu, "la segunda", IntentNone, none, 0, 0, 0, "", 2, ""},
		{thu, "opción 3", IntentNone, none, 0, 0, 0, "", 3, ""},
		{thu, "el primero", IntentNone, none, 0, 0, 0, "", 1, ""},
		{thu, "me quedo con la primera", IntentBook, none, 0, 0, 0, "", 1, ""},
		{thu, "dale, la 2", IntentYes, none, 0, 0, 0, "", 2, ""},
		{thu, "si", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "sí!!", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "dale", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "ok", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "Perfecto, gracias", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "de una", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "👍", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "no", IntentNo, none, 0, 0, 0, "", 0, ""},
		{thu, "nop", IntentNo, none, 0, 0, 0, "", 0, ""},
		{thu, "no gracias", IntentNo, none, 0, 0, 0, "", 0, ""},
		{thu, "ayuda", IntentHelp, none, 0, 0, 0, "", 0, ""},
		{thu, "menu", IntentHelp, none, 0, 0, 0, "", 0, ""},
		{thu, "?", IntentHelp, none, 0, 0, 0, "", 0, ""},
		{thu, "qué puedo hacer?", IntentHelp, none, 0, 0, 0, "", 0, ""},
		{thu, "quiero cancelar mi reserva RES261126AB12CD", IntentCancel, none, 0, 0, 0, "RES261126AB12CD", 0, ""},
		{thu, "dar de baja la reserva", IntentCancel, none, 0, 0, 0, "", 0, ""},
		{thu, "cual es el estado de mi reserva?", IntentStatus, none, 0, 0, 0, "", 0, ""},
		{thu, "xq no me llego la confirmacion de mi reserva", IntentStatus, none, 0, 0, 0, "", 0, ""},
		{thu, "quiero hablar con el dueño", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "operador", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "atención al cliente", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "cuanto cuesta la noche?", IntentPrice, none, 0, 0, 0, "", 0, ""},
		{thu, "precio x noche para 2", IntentPrice, none, 2, 0, 0, "", 0, ""},
		{thu, "valor por noche?", IntentPrice, none, 0, 0, 0, "", 0, ""},
		{thu, "tarifa finde largo", IntentPrice, span(day(2026, 12, 24), day(2026, 12, 27)), 0, 0, 0, "", 0, ""},
		{thu, "hay disponibilidad del 10 al 12 de febrero?", IntentAvailability, span(day(2027, 2, 10), day(2027, 2, 12)), 0, 0, 0, "", 0, ""},
		{thu, "queremos ir 4 personas el 20 de enero x 3 noches", IntentAvailability, nights(day(2027, 1, 20), 3), 4, 0, 0, "", 0, ""},
		{thu, "reserbame del 5 al 8 de marzo porfa", IntentBook, span(day(2027, 3, 5), day(2027, 3, 8)), 0, 0, 0, "", 0, ""},
		{thu, "lo tomo", IntentBook, none, 0, 0, 0, "", 0, ""},
		{thu, "tenes lugar el 9 de julio?", IntentAvailability, none, 0, 0, 0, "", 0, ""},
		{dec, "del 2 al 4 de enero", IntentNone, span(day(2027, 1, 2), day(2027, 1, 4)), 0, 0, 0, "", 0, ""},
		{dec, "para el finde", IntentNone, span(day(2027, 1, 1), day(2027, 1, 3)), 0, 0, 0, "", 0, ""},
		{dec, "del 30 al 2", IntentNone, span(day(2026, 12, 30), day(2027, 1, 2)), 0, 0, 0, "", 0, ""},
		{dec, "10/1 al 15/1 hay lugar?", IntentAvailability, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "hola buenas, quería saber si tienen disponibilidad para el 24 de dic por 2 noches, somos 2 adultos y 2 chicos", IntentAvailability, nights(day(2026, 12, 24), 2), 4, 2, 2, "", 0, ""},
		{thu, "cuanto sale x 2 noches desde el vie?", IntentPrice, nights(fri, 2), 0, 0, 0, "", 0, ""},
		{thu, "hay lugar mañana? x 1 noche", IntentAvailability, nights(fri, 1), 0, 0, 0, "", 0, ""},
		{thu, "pasado mañana 2 noches", IntentNone, nights(sat, 2), 0, 0, 0, "", 0, ""},
		{thu, "del viernes 9 al domingo 11 de enero", IntentNone, span(day(2027, 1, 9), day(2027, 1, 11)), 0, 0, 0, "", 0, ""},
		{thu, "necesito info de la cabaña para 6 personas", IntentNone, none, 6, 0, 0, "", 0, ""},
		{thu, "reservame para el finde del 9 de enero", IntentBook, span(day(2027, 1, 8), day(2027, 1, 10)), 0, 0, 0, "", 0, ""},
		{thu, "pueden del 20 al 23 de febrero 2 adultos", IntentNone, span(day(2027, 2, 20), day(2027, 2, 23)), 2, 2, 0, "", 0, ""},
		{thu, "hola, para 10 personas del 5 al 8/2", IntentNone, span(day(2027, 2, 5), day(2027, 2, 8)), 10, 0, 0, "", 0, ""},
		{thu, "del 10 de enero al 15", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "desde el 2 de feb hasta el 9 de feb", IntentNone, span(day(2027, 2, 2), day(2027, 2, 9)), 0, 0, 0, "", 0, ""},
		{thu, "1ro de enero por 2 noches", IntentNone, nights(day(2027, 1, 1), 2), 0, 0, 0, "", 0, ""},
		{thu, "llegamos el sab 5/12 y nos vamos el 8/12", IntentNone, span(day(2026, 12, 5), day(2026, 12, 8)), 0, 0, 0, "", 0, ""},
		{thu, "del 10 al 15 de setiembre", IntentNone, span(day(2027, 9, 10), day(2027, 9, 15)), 0, 0, 0, "", 0, ""},
		{thu, "q precio tiene del 3 al 6 de sept x favor", IntentPrice, span(day(2027, 9, 3), day(2027, 9, 6)), 0, 0, 0, "", 0, ""},
		{thu, "me decis cuanto sale? somos 3", IntentPrice, none, 3, 0, 0, "", 0, ""},
		{thu, "tienen cabaña para 5 del 2 al 9 de ene?", IntentAvailability, span(day(2027, 1, 2), day(2027, 1, 9)), 5, 0, 0, "", 0, ""},
		{thu, "hola, soy Martín, quería saber si hay lugar el finde del 12 de diciembre", IntentAvailability, span(day(2026, 12, 11), day(2026, 12, 13)), 0, 0, 0, "", 0, "Martín"},
	}
	if len(cases) < 70 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		u := Understand(c.msg, c.today)
		got := stay{u.CheckIn, u.CheckOut}
		if u.Intent != c.intent || got != c.stay || u.Guests != c.guests || u.Adults != c.adults ||
			u.Children != c.kids || u.Code != c.code || u.Choice != c.choice || u.Name != c.name {
			t.Errorf("Understand(%q, %s)\n got intent=%q %s–%s guests=%d (%d+%d) code=%q choice=%d name=%q\nwant intent=%q %s–%s guests=%d (%d+%d) code=%q choice=%d name=%q",
				c.msg, c.today.Format("Mon 2006-01-02"),
				u.Intent, fd(u.CheckIn), fd(u.CheckOut), u.Guests, u.Adults, u.Children, u.Code, u.Choice, u.Name,
				c.intent, fd(c.stay.in), fd(c.stay.out), c.guests, c.adults, c.kids, c.code, c.choice, c.name)
		}
	}
}

func fd(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}
