package understand

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

// TestUnderstand is long on purpose: one table row per message as guests
// write it, with everything Message reads from it, so a new case is one line.
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
		{thu, "Cancelar la reserva", IntentCancel, none, 0, 0, 0, "", 0, ""},
		{thu, "hola, al final no vamos a poder ir 😔", IntentCancel, none, 0, 0, 0, "", 0, ""},
		{thu, "quiero suspender la reserva", IntentCancel, none, 0, 0, 0, "", 0, ""},
		{thu, "anulen la reserva RES261126AB12CD por favor", IntentCancel, none, 0, 0, 0, "RES261126AB12CD", 0, ""},
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
		{thu, "nos quedamos 2 noches, el 8 y 9 de enero", IntentNone, nights(day(2027, 1, 8), 2), 0, 0, 0, "", 0, ""},
		{thu, "para 2 el 10", IntentNone, none, 2, 0, 0, "", 0, ""},
		{thu, "bueno dale", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "no sé", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "10-15 de enero", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "para el 10 al 12", IntentNone, span(day(2026, 12, 10), day(2026, 12, 12)), 0, 0, 0, "", 0, ""},
		{thu, "findelargo de semana santa", IntentNone, span(day(2027, 3, 25), day(2027, 3, 28)), 0, 0, 0, "", 0, ""},
		{thu, "el finde largo del 9 de julio", IntentNone, span(day(2027, 7, 8), day(2027, 7, 11)), 0, 0, 0, "", 0, ""},
		{thu, "el primer finde de diciembre", IntentNone, span(day(2026, 12, 4), day(2026, 12, 6)), 0, 0, 0, "", 0, ""},
		{thu, "navidad y año nuevo", IntentNone, span(day(2026, 12, 24), day(2027, 1, 2)), 0, 0, 0, "", 0, ""},
		{thu, "para carnaval", IntentNone, span(day(2027, 2, 5), day(2027, 2, 9)), 0, 0, 0, "", 0, ""},
		{thu, "para pascuas somos 5", IntentNone, span(day(2027, 3, 25), day(2027, 3, 28)), 5, 0, 0, "", 0, ""},
		{thu, "vacaciones de invierno", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "Buenas noches, consulto por 5 noches a partir del 3/1", IntentNone, nights(day(2027, 1, 3), 5), 0, 0, 0, "", 0, ""},
		{thu, "buen dia queria saber el valor de la cabaña para 4 del 27/12 al 2/1", IntentPrice, span(day(2026, 12, 27), day(2027, 1, 2)), 4, 0, 0, "", 0, ""},
		{thu, "y si cancelo me devuelven la seña?", IntentCancel, none, 0, 0, 0, "", 0, ""},
		{thu, "me pasás el alias para la seña?", IntentBook, none, 0, 0, 0, "", 0, ""},
		{thu, "ya pagué", IntentStatus, none, 0, 0, 0, "", 0, ""},
		{thu, "quiero que me atienda una persona", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "el dueño me puede llamar?", IntentHuman, none, 0, 0, 0, "", 0, ""},
		{thu, "no entiendo nada", IntentHelp, none, 0, 0, 0, "", 0, ""},
		{thu, "no tienen lugar?", IntentAvailability, none, 0, 0, 0, "", 0, ""},
		{thu, "Sí, confirmo", IntentYes, none, 0, 0, 0, "", 0, ""},
		{thu, "no, mejor otra fecha", IntentNo, none, 0, 0, 0, "", 0, ""},
		{thu, "somos 2 adultos, 1 menor y un bebé", IntentNone, none, 4, 2, 2, "", 0, ""},
		{thu, "para 60 personas", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "2 noches para 2", IntentNone, none, 2, 0, 0, "", 0, ""},
		{thu, "me llamo María José y quiero reservar", IntentBook, none, 0, 0, 0, "", 0, "María José"},
		{thu, "soy juan de rosario", IntentNone, none, 0, 0, 0, "", 0, "Juan"},
		{thu, "soy muy fan de su lugar", IntentAvailability, none, 0, 0, 0, "", 0, ""},
		{thu, "la tercera opción", IntentNone, none, 0, 0, 0, "", 3, ""},
		{thu, "la primera semana de enero", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "el código es RES-261126AB12CD", IntentStatus, none, 0, 0, 0, "RES261126AB12CD", 0, ""},
		{thu, "del 29/12/2026 al 2/1/2027", IntentNone, span(day(2026, 12, 29), day(2027, 1, 2)), 0, 0, 0, "", 0, ""},
		{thu, "del lunes al viernes", IntentNone, span(day(2026, 11, 30), day(2026, 12, 4)), 0, 0, 0, "", 0, ""},
		{thu, "desde hoy hasta el sabado", IntentNone, span(thu, sat), 0, 0, 0, "", 0, ""},
		{thu, "el sábado 2 noches", IntentNone, nights(sat, 2), 0, 0, 0, "", 0, ""},
		{thu, "del 10/1 por una semana", IntentNone, nights(day(2027, 1, 10), 7), 0, 0, 0, "", 0, ""},
		{thu, "del 10 de enero por 5 días", IntentNone, none, 0, 0, 0, "", 0, ""},
		{thu, "el finde 12/12", IntentNone, span(day(2026, 12, 11), day(2026, 12, 13)), 0, 0, 0, "", 0, ""},
		{sun, "el finde del 28 de noviembre", IntentNone, span(day(2027, 11, 26), day(2027, 11, 28)), 0, 0, 0, "", 0, ""},
		{sat, "el finde del 28 de noviembre", IntentNone, span(sat, sun), 0, 0, 0, "", 0, ""},
		{thu, "tenes lugar para esta noche?", IntentAvailability, nights(thu, 1), 0, 0, 0, "", 0, ""},
		{thu, "el 10, 11 y 12 de enero", IntentNone, nights(day(2027, 1, 10), 3), 0, 0, 0, "", 0, ""},
		{thu, "10/1-15/1", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "del 10 al 15 de emero", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "ingreso 10/1 egreso 15/1", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "llegamos el 10 de enero y nos vamos el 15", IntentNone, span(day(2027, 1, 10), day(2027, 1, 15)), 0, 0, 0, "", 0, ""},
		{thu, "de hoy a mañana", IntentNone, nights(thu, 1), 0, 0, 0, "", 0, ""},
		{thu, "del 20 de dic al 5 de ene", IntentNone, span(day(2026, 12, 20), day(2027, 1, 5)), 0, 0, 0, "", 0, ""},
		{thu, "del 15 al 15 de enero", IntentNone, none, 0, 0, 0, "", 0, ""},
	}
	if len(cases) < 70 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		u := Message(c.msg, c.today)
		got := stay{u.CheckIn, u.CheckOut}
		if u.Intent != c.intent || got != c.stay || u.Guests != c.guests || u.Adults != c.adults ||
			u.Children != c.kids || u.Code != c.code || u.Choice != c.choice || u.Name != c.name {
			t.Errorf("Message(%q, %s)\n got intent=%q %s–%s guests=%d (%d+%d) code=%q choice=%d name=%q\nwant intent=%q %s–%s guests=%d (%d+%d) code=%q choice=%d name=%q",
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

func TestLongWeekends(t *testing.T) {
	t.Parallel()
	if got := easter(2026); !got.Equal(day(2026, 4, 5)) {
		t.Errorf("Easter 2026 = %s, want 2026-04-05", fd(got))
	}
	if got := easter(2027); !got.Equal(day(2027, 3, 28)) {
		t.Errorf("Easter 2027 = %s, want 2027-03-28", fd(got))
	}
	if got := easter(2025); !got.Equal(day(2025, 4, 20)) {
		t.Errorf("Easter 2025 = %s, want 2025-04-20", fd(got))
	}
	want := map[int][]Stay{
		2026: {
			{day(2026, 2, 13), day(2026, 2, 17), "carnaval"},                             // Sat 14 – Tue 17
			{day(2026, 4, 1), day(2026, 4, 5), "Semana Santa"},                           // Malvinas Thu 2 + Good Friday 3
			{day(2026, 4, 30), day(2026, 5, 3), "Día del Trabajador"},                    // Friday 1 May
			{day(2026, 5, 22), day(2026, 5, 25), "25 de Mayo"},                           // Monday
			{day(2026, 6, 12), day(2026, 6, 15), "Paso a la Inmortalidad de Güemes"},     // Wed 17 → Mon 15
			{day(2026, 8, 14), day(2026, 8, 17), "Paso a la Inmortalidad de San Martín"}, // Monday
			{day(2026, 10, 9), day(2026, 10, 12), "Día de la Diversidad Cultural"},       // Monday
			{day(2026, 11, 20), day(2026, 11, 23), "Día de la Soberanía Nacional"},       // Fri 20 → Mon 23
			{day(2026, 12, 24), day(2026, 12, 27), "Navidad"},                            // Friday 25
		},
		2027: {
			{day(2026, 12, 31), day(2027, 1, 3), "Año Nuevo"},                            // Friday 1 Jan
			{day(2027, 2, 5), day(2027, 2, 9), "carnaval"},                               // Mon 8 – Tue 9
			{day(2027, 3, 25), day(2027, 3, 28), "Semana Santa"},                         // Good Friday 26
			{day(2027, 4, 1), day(2027, 4, 4), "Malvinas"},                               // Friday 2
			{day(2027, 6, 18), day(2027, 6, 21), "Día de la Bandera"},                    // Sun 20 + Güemes Thu 17 → Mon 21
			{day(2027, 7, 8), day(2027, 7, 11), "Día de la Independencia"},               // Friday 9
			{day(2027, 8, 13), day(2027, 8, 16), "Paso a la Inmortalidad de San Martín"}, // Tue 17 → Mon 16
			{day(2027, 10, 8), day(2027, 10, 11), "Día de la Diversidad Cultural"},       // Tue 12 → Mon 11
		},
	}
	for year, ws := range want {
		got := LongWeekends(year)
		if len(got) != len(ws) {
			t.Errorf("LongWeekends(%d): %d long weekends, want %d: %v", year, len(got), len(ws), got)
			continue
		}
		for i := range ws {
			if !got[i].CheckIn.Equal(ws[i].CheckIn) || !got[i].CheckOut.Equal(ws[i].CheckOut) || got[i].Name != ws[i].Name {
				t.Errorf("LongWeekends(%d)[%d] = %s–%s %q, want %s–%s %q", year, i, fd(got[i].CheckIn), fd(got[i].CheckOut),
					got[i].Name, fd(ws[i].CheckIn), fd(ws[i].CheckOut), ws[i].Name)
			}
		}
	}
	// Carnival 2027 is Monday 8 and Tuesday 9 February.
	for _, h := range holidaysAR(2027) {
		if h.key == "carnaval" && !h.day.Equal(day(2027, 2, 8)) && !h.day.Equal(day(2027, 2, 9)) {
			t.Errorf("carnival 2027 on %s", fd(h.day))
		}
	}
}

// A date without a year is the next one: a day already past this year is next year's.
func TestYearForward(t *testing.T) {
	t.Parallel()
	cases := []struct {
		today time.Time
		msg   string
		want  stay
	}{
		{thu, "del 20 al 22 de noviembre", span(day(2027, 11, 20), day(2027, 11, 22))},
		{thu, "del 26 al 28 de noviembre", span(day(2026, 11, 26), day(2026, 11, 28))},
		{thu, "25/11 al 27/11", span(day(2027, 11, 25), day(2027, 11, 27))},
		{dec, "del 27 al 29 de diciembre", span(day(2027, 12, 27), day(2027, 12, 29))},
		{dec, "del 28 al 30/12", span(day(2026, 12, 28), day(2026, 12, 30))},
		{dec, "del 5 al 7", span(day(2027, 1, 5), day(2027, 1, 7))},
		{jun, "del 1 al 3 de junio", span(day(2027, 6, 1), day(2027, 6, 3))},
		{thu, "10/1/2026 al 12/1/2026", stay{}}, // an explicit past year is not moved
	}
	for _, c := range cases {
		u := Message(c.msg, c.today)
		if got := (stay{u.CheckIn, u.CheckOut}); got != c.want {
			t.Errorf("Message(%q, %s) = %s–%s, want %s–%s", c.msg, fd(c.today), fd(got.in), fd(got.out), fd(c.want.in), fd(c.want.out))
		}
	}
}

// Vague phrases say how they were read, so the assistant can confirm.
func TestDateHint(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"el finde largo de carnaval": "tomé el finde largo de carnaval",
		"este finde":                 "tomé este fin de semana",
		"del 10 al 15 de enero":      "",
	}
	for msg, want := range cases {
		if got := Message(msg, thu).DateHint; got != want {
			t.Errorf("Message(%q).DateHint = %q, want %q", msg, got, want)
		}
	}
}
