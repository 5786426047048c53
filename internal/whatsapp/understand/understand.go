package understand

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Intent is what a guest's message asks for.
type Intent string

const (
	IntentNone         Intent = ""             // nothing recognised (may still carry dates/guests/name)
	IntentGreeting     Intent = "greeting"     // "hola", "buenas", "buen día"
	IntentAvailability Intent = "availability" // "tienen lugar…", "hay disponibilidad", "está libre", "queremos ir…"
	IntentPrice        Intent = "price"        // "cuánto sale", "precio", "tarifa", "cuanto cuesta", "valor"
	IntentBook         Intent = "book"         // "quiero reservar", "reservame", "lo tomo", "reservar"
	IntentStatus       Intent = "status"       // a reservation code present, or "estado de mi reserva", "mi reserva"
	IntentCancel       Intent = "cancel"       // "cancelar", "quiero cancelar", "dar de baja la reserva"
	IntentHelp         Intent = "help"         // "ayuda", "menu", "opciones", "qué puedo hacer", "?"
	IntentHuman        Intent = "human"        // "hablar con una persona", "con el dueño", "humano", "atención", "operador"
	IntentYes          Intent = "yes"          // "si", "sí", "dale", "ok", "perfecto", "de una", "👍"
	IntentNo           Intent = "no"           // "no", "nop", "no gracias"
)

// Understanding is what one message says. Dates are civil dates: time.Time at
// midnight UTC (the convention of internal/booking/dates.go).
type Understanding struct {
	Intent   Intent
	CheckIn  time.Time // zero when the message names no stay
	CheckOut time.Time // exclusive (the departure day); set whenever CheckIn is
	Guests   int       // 0 when not said; adults + children
	Adults   int
	Children int
	Code     string // reservation code, uppercased: RES + 6 digits + 6 hex, e.g. RES251008CC8EA0
	Name     string // "me llamo Ana Gómez", "soy Ana", "mi nombre es …" → "Ana Gómez" (capitalised)
	Choice   int    // 1-based pick from a numbered list: "1", "la 2", "la segunda", "opción 3", "el primero"; 0 none
	DateHint string // non-empty when dates were inferred from a vague phrase, in Spanish
}

// maxInput bounds the work on a pasted novel; no booking request is longer.
const maxInput = 4000

// maxGuests is beyond any lodging we serve: a bigger number is a price or a phone, not people.
const maxGuests = 50

// The code may be typed with a space or dash after RES; bookings print it without.
var codeRe = regexp.MustCompile(`(?i)\bres[ -]?([0-9]{6})([0-9a-f]{6})\b`)

// Message reads one guest message. today is the property's local civil date
// (midnight UTC). It never panics and never takes more than linear-ish time on any input.
func Message(text string, today time.Time) Understanding {
	var u Understanding
	if len(text) > maxInput {
		cut := maxInput
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	y, m, d := today.Date()
	today = civil(y, m, d)

	if loc := codeRe.FindStringSubmatchIndex(text); loc != nil {
		u.Code = strings.ToUpper("RES" + text[loc[2]:loc[3]] + text[loc[4]:loc[5]])
		// The code's digits are not dates or guests.
		text = text[:loc[0]] + " " + text[loc[1]:]
	}

	t := tokenize(text)
	if st, hint, ok := findStay(t, today); ok {
		u.CheckIn, u.CheckOut, u.DateHint = st.CheckIn, st.CheckOut, hint
	}
	u.Adults, u.Children, u.Guests = findGuests(t)
	u.Name = findName(text)
	u.Choice = findChoice(t)
	u.Intent = findIntent(t, text, u)
	return u
}

// fold lowercases and strips accents; ñ becomes n so "año", "ano" and "anio" meet.
func fold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'á', 'à', 'ä', 'â', 'ã':
		return 'a'
	case 'é', 'è', 'ë', 'ê':
		return 'e'
	case 'í', 'ì', 'ï', 'î':
		return 'i'
	case 'ó', 'ò', 'ö', 'ô', 'õ':
		return 'o'
	case 'ú', 'ù', 'ü', 'û':
		return 'u'
	case 'ñ':
		return 'n'
	}
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// tokenize turns a message into lowercase, accent-free words and numbers.
// Dates like 10/1 and 15-01-2027 stay one token; a free-standing dash becomes
// its own token because guests write ranges as "10/01 - 15/01".
func tokenize(text string) []string {
	rs := []rune(text)
	var b strings.Builder
	b.Grow(len(text) + 8)
	for i, r := range rs {
		r = fold(r)
		prevDigit := i > 0 && isDigit(rs[i-1])
		nextDigit := i+1 < len(rs) && isDigit(rs[i+1])
		switch {
		case isDigit(r), unicode.IsLetter(r):
			b.WriteRune(r)
		case (r == '/' || r == '-') && prevDigit && nextDigit:
			b.WriteRune(r)
		case r == '-' || r == '+':
			b.WriteString(" ")
			b.WriteRune(r)
			b.WriteString(" ")
		case r == '👍' || r == '👌':
			b.WriteString(" ok ")
		default:
			b.WriteByte(' ')
		}
	}
	var out []string
	for _, f := range strings.Fields(b.String()) {
		if strings.Contains(f, "/") && strings.Contains(f, "-") {
			// "10/1-15/1" is a range written without spaces.
			for k, part := range strings.Split(f, "-") {
				if k > 0 {
					out = append(out, "-")
				}
				out = append(out, splitMixed(part)...)
			}
			continue
		}
		out = append(out, splitMixed(f)...)
	}
	out = mergePhrases(out)
	for i, w := range out {
		out[i] = fixTypo(w)
	}
	return out
}

var ordinalSuffix = map[string]bool{"ro": true, "ero": true, "ra": true, "era": true, "do": true, "da": true, "er": true, "to": true, "ta": true, "vo": true, "va": true, "mo": true, "ma": true}

// splitMixed separates "3noches" and "2personas" but keeps "1ro" and "10/1".
func splitMixed(f string) []string {
	var out []string
	start := 0
	kind := func(c byte) int {
		if (c >= '0' && c <= '9') || c == '/' || c == '-' {
			return 1
		}
		return 2
	}
	for i := 1; i <= len(f); i++ {
		if i < len(f) && (f[i] >= 0x80 || f[i-1] >= 0x80 || kind(f[i]) == kind(f[i-1])) {
			continue
		}
		piece := f[start:i]
		if n := len(out); n > 0 && ordinalSuffix[piece] && allDigits(out[n-1]) {
			out[n-1] += piece
		} else {
			out = append(out, piece)
		}
		start = i
	}
	return out
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mergePhrases joins the multi-word names guests use for one idea.
func mergePhrases(t []string) []string {
	out := t[:0:0]
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == "fin" && i+2 < len(t) && t[i+1] == "de" && strings.HasPrefix(t[i+2], "sem"):
			out = append(out, "finde")
			i += 2
		case (t[i] == "fines" || t[i] == "fin") && i+1 < len(t) && t[i+1] == "de" && i+2 < len(t) && (t[i+2] == "ano" || t[i+2] == "anio"):
			out = append(out, "ano", "nuevo")
			i += 2
		case t[i] == "feriado" && i+1 < len(t) && t[i+1] == "largo":
			out = append(out, "finde", "largo")
			i++
		case t[i] == "findelargo" || t[i] == "feriadolargo":
			out = append(out, "finde", "largo")
		case (t[i] == "finde" || t[i] == "fin") && i+1 < len(t) && t[i+1] == "xl":
			out = append(out, "finde", "largo")
			i++
		case isDayPair(t[i]) && i+1 < len(t) && (isMonthWord(t[i+1]) || (t[i+1] == "de" && i+2 < len(t) && isMonthWord(t[i+2]))):
			// "10-15 de enero" is a range, not the 10th of a 15th month.
			k := strings.IndexByte(t[i], '-')
			out = append(out, t[i][:k], "-", t[i][k+1:])
		default:
			out = append(out, t[i])
		}
	}
	return out
}

var typos = map[string]string{
	"q": "que", "k": "que", "ke": "que", "qe": "que",
	"xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque",
	"x": "por", "xa": "para", "pa": "para",
	"fds": "finde", "findes": "finde", "fin": "finde", "finde.": "finde",
	"tenés": "tenes", "tenen": "tienen", "tienes": "tenes",
	"maniana": "manana", "mañana": "manana",
	"anio": "ano", "sii": "si", "siii": "si", "sip": "si", "sep": "sep",
	"okey": "ok", "oka": "ok", "okay": "ok", "okis": "ok", "oki": "ok", "okk": "ok", "dale.": "dale",
	"hla": "hola", "ola": "hola", "holaa": "hola", "holaaa": "hola", "holis": "hola", "holi": "hola",
	"nop": "no", "nope": "no", "nah": "no", "naa": "no", "nones": "no",
	"pesonas": "personas", "presonas": "personas", "perosnas": "personas", "personass": "personas",
	"nches": "noches", "nohces": "noches", "noces": "noches",
	"sabdo": "sabado", "viernez": "viernes",
	"disponivilidad": "disponibilidad", "disponiblidad": "disponibilidad", "disponibilida": "disponibilidad",
	"precios": "precio", "tarifas": "tarifa", "valores": "valor",
	"menu": "menu", "menú": "menu",
}

func fixTypo(w string) string {
	if v, ok := typos[w]; ok {
		return v
	}
	if strings.HasPrefix(w, "reserb") {
		return "reserv" + w[len("reserb"):]
	}
	return w
}

// wordNumbers are the counts guests spell out; larger ones come as digits.
var wordNumbers = map[string]int{
	"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
	"siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
	"catorce": 14, "quince": 15, "veinte": 20,
}

// count reads a small number written in digits or words.
func count(w string) (int, bool) {
	if n, ok := wordNumbers[w]; ok {
		return n, true
	}
	if allDigits(w) && len(w) <= 2 {
		n, _ := strconv.Atoi(w)
		return n, true
	}
	return 0, false
}

func at(t []string, i int) string {
	if i < 0 || i >= len(t) {
		return ""
	}
	return t[i]
}

var personWords = map[string]bool{"personas": true, "persona": true, "pax": true, "huespedes": true, "huesped": true, "personitas": true}
var adultWords = map[string]bool{"adultos": true, "adulto": true, "adultas": true, "mayores": true, "mayor": true, "grandes": true}
var childWords = map[string]bool{
	"ninos": true, "nino": true, "ninas": true, "nina": true, "nenes": true, "nene": true, "nenas": true, "nena": true,
	"chicos": true, "chico": true, "chicas": true, "chica": true, "menores": true, "menor": true, "hijos": true,
	"hijo": true, "hijas": true, "hija": true, "bebes": true, "bebe": true, "criaturas": true, "peques": true,
	"chiquitos": true, "chiquitas": true, "infantes": true,
}

// findGuests reads who comes. A total ("somos 4") with children ("2 chicos")
// counts the children inside the total, unless joined by "y"/"más"/"con"
// right after it ("somos 2 y 2 nenes"), which Argentines use to add them.
func findGuests(t []string) (adults, children, guests int) {
	total, totalEnd, additive := 0, -1, false
	for i := 0; i < len(t); i++ {
		n, ok := count(t[i])
		next := at(t, i+1)
		switch {
		case ok && adultWords[next]:
			adults += n
			i++
		case ok && childWords[next]:
			if totalEnd >= 0 && i == totalEnd+1 && (at(t, i-1) == "y" || at(t, i-1) == "mas" || at(t, i-1) == "con" || at(t, i-1) == "+") {
				additive = true
			}
			children += n
			i++
		case ok && personWords[next] && n == 1 && (at(t, i-1) == "con" || at(t, i-1) == "atienda" || at(t, i-1) == "que"):
			// "hablar con una persona" asks for a human, it does not count guests.
			i++
		case ok && personWords[next]:
			total = n
			totalEnd = i + 2
			i++
		case t[i] == "somos" && ok2(next):
			n, _ := count(next)
			if !adultWords[at(t, i+2)] && !childWords[at(t, i+2)] {
				total = n
				totalEnd = i + 2
			}
		case t[i] == "para" && ok2(next) && !notGuests(t, i+2):
			n, _ := count(next)
			total = n
			totalEnd = i + 2
		case t[i] == "pareja" && (at(t, i-1) == "una" || at(t, i-1) == "mi" || at(t, i-1) == "en"):
			total, totalEnd, additive = 2, i+1, true
		case t[i] == "solo" && (next == "yo" || at(t, i-1) == "yo" || at(t, i-1) == "voy" || (next == "para" && at(t, i+2) == "mi")):
			total, totalEnd = 1, i+1
		case (t[i] == "sola") && (at(t, i-1) == "yo" || at(t, i-1) == "voy" || at(t, i-1) == "mi"):
			total, totalEnd = 1, i+1
		}
	}
	switch {
	case adults == 0 && children == 0:
		guests = total
	case adults > 0:
		guests = adults + children
	case total > 0 && (additive || children >= total):
		adults, guests = total, total+children
	case total > 0:
		adults, guests = total-children, total
	}
	if guests < 0 || guests > maxGuests || adults > maxGuests || children > maxGuests {
		return 0, 0, 0
	}
	return adults, children, guests
}

func ok2(w string) bool { n, ok := count(w); return ok && n > 0 }

// notGuests tells "para 2 noches" or "para 10 de enero" from "para 2".
func notGuests(t []string, i int) bool {
	w := at(t, i)
	if strings.HasPrefix(w, "noch") || w == "semanas" || w == "semana" || w == "dias" || w == "/" {
		return true
	}
	if _, ok := monthOf(w); ok {
		return true
	}
	if w == "de" || w == "del" {
		_, ok := monthOf(at(t, i+1))
		return ok
	}
	return false
}

// nameStop ends a name: what follows "soy" is often not one ("soy de Córdoba").
var nameStop = map[string]bool{
	"de": true, "del": true, "la": true, "el": true, "los": true, "las": true, "y": true, "e": true, "o": true,
	"que": true, "q": true, "quiero": true, "queria": true, "quisiera": true, "tengo": true, "necesito": true,
	"para": true, "por": true, "con": true, "un": true, "una": true, "uno": true, "yo": true, "muy": true,
	"tu": true, "su": true, "mi": true, "me": true, "te": true, "se": true, "le": true, "lo": true, "nuevo": true,
	"nueva": true, "cliente": true, "huesped": true, "quien": true, "desde": true, "en": true, "a": true,
	"al": true, "busco": true, "buscamos": true, "vamos": true, "voy": true, "estoy": true, "aca": true,
	"hola": true, "buenas": true, "buen": true, "gracias": true, "consulta": true, "les": true, "porque": true,
	"pero": true, "si": true, "no": true, "tambien": true, "ya": true, "vos": true, "otra": true, "otro": true,
	"argentino": true, "argentina": true, "socio": true, "socia": true, "dueno": true, "duena": true,
	"escribo": true, "escribia": true, "reserve": true, "hice": true, "el/la": true, "solo": true, "sola": true,
	"tenia": true, "habia": true, "somos": true, "soy": true, "estamos": true, "ahi": true, "como": true,
	"cuanto": true, "este": true, "esta": true, "ese": true, "esa": true, "bien": true, "mal": true,
	"familia": true, "pareja": true, "amigo": true, "amiga": true, "feliz": true, "encargado": true,
}

var nameTriggers = [][]string{{"me", "llamo"}, {"mi", "nombre", "es"}, {"a", "nombre", "de"}, {"soy"}}

// findName reads "me llamo Ana Gómez" from the message as typed, keeping accents.
func findName(text string) string {
	// A clause ends at punctuation: "soy Ana, quería…" is Ana, not Ana Quería.
	clauses := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsSpace(r) && r != '\''
	})
	for _, c := range clauses {
		words := strings.Fields(c)
		norm := make([]string, len(words))
		for i, w := range words {
			norm[i] = strings.Map(fold, w)
		}
		for i := range norm {
			for _, trig := range nameTriggers {
				if !hasSeq(norm, i, trig) {
					continue
				}
				var parts []string
				for j := i + len(trig); j < len(words) && len(parts) < 3; j++ {
					if nameStop[norm[j]] || filler[norm[j]] || typos[norm[j]] != "" || isCalendarWord(norm[j]) || utf8.RuneCountInString(words[j]) < 2 {
						break
					}
					parts = append(parts, capitalise(words[j]))
				}
				if len(parts) > 0 {
					return strings.Join(parts, " ")
				}
			}
		}
	}
	return ""
}

func isCalendarWord(w string) bool {
	if _, ok := monthOf(w); ok {
		return true
	}
	if _, ok := weekdays[w]; ok {
		return true
	}
	_, ok := wordNumbers[w]
	return ok || w == "finde" || w == "hoy" || w == "manana"
}

func hasSeq(t []string, i int, seq []string) bool {
	if i+len(seq) > len(t) {
		return false
	}
	for k, s := range seq {
		if t[i+k] != s {
			return false
		}
	}
	return true
}

func capitalise(w string) string {
	w = strings.ToLower(w)
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[size:]
}

var ordinalWords = map[string]int{
	"primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3, "tercer": 3,
	"cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6,
}

// maxChoice bounds a pick from a list we sent; bigger numbers are something else.
const maxChoice = 20

// findChoice reads a pick from a numbered list. A number is a pick only when
// nothing makes it a day, a count of nights or of people.
func findChoice(t []string) int {
	content := withoutFiller(t)
	if len(content) == 1 {
		if n, ok := choiceNumber(content[0], true); ok {
			return n
		}
	}
	for i, w := range t {
		if w != "la" && w != "el" && w != "opcion" && w != "numero" && w != "nro" && w != "num" && w != "nº" {
			continue
		}
		switch at(t, i-1) {
		case "para", "desde", "hasta", "del", "al", "entre", "y", "partir", "de", "llegamos", "vamos", "venimos":
			continue
		}
		if _, isCount := count(at(t, i-1)); isCount {
			continue
		}
		next := at(t, i+1)
		n, ok := choiceNumber(next, w == "opcion" || w == "numero" || w == "nro")
		if !ok {
			if o, isOrd := ordinalWords[next]; isOrd && w != "numero" {
				n, ok = o, true
			}
		}
		if !ok || choiceBlocked(at(t, i+2)) {
			continue
		}
		return n
	}
	for i, w := range t {
		if o, ok := ordinalWords[w]; ok && (at(t, i+1) == "opcion" || at(t, i-1) == "opcion") {
			return o
		}
	}
	return 0
}

func choiceNumber(w string, words bool) (int, bool) {
	n := 0
	switch {
	case allDigits(w) && len(w) <= 2:
		n, _ = strconv.Atoi(w)
	case ordinalDigits(w) > 0:
		n = ordinalDigits(w)
	case words:
		v, ok := wordNumbers[w]
		if !ok {
			return 0, false
		}
		n = v
	default:
		return 0, false
	}
	return n, n >= 1 && n <= maxChoice
}

// ordinalDigits reads "1ro", "2da".
func ordinalDigits(w string) int {
	i := 0
	for i < len(w) && i < 2 && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 || !ordinalSuffix[w[i:]] {
		return 0
	}
	n, _ := strconv.Atoi(w[:i])
	return n
}

func choiceBlocked(next string) bool {
	if allDigits(next) || next == "de" || next == "del" || next == "al" || next == "hasta" || next == "y" || next == "a" || next == "-" ||
		next == "semana" || next == "quincena" || next == "finde" || next == "vez" || next == "dia" || next == "dias" ||
		strings.HasPrefix(next, "noch") || personWords[next] || adultWords[next] || childWords[next] {
		return true
	}
	_, isMonth := monthOf(next)
	return isMonth
}

var filler = map[string]bool{
	"porfa": true, "por": true, "favor": true, "gracias": true, "muchas": true, "please": true, "pls": true,
	"plis": true, "xfa": true, "ok": true, "dale": true, "bueno": true, "hola": true, "buenas": true, "quiero": true,
	"me": true, "quedo": true, "con": true, "elijo": true, "prefiero": true, "va": true, "ah": true, "eh": true,
}

func withoutFiller(t []string) []string {
	var out []string
	for _, w := range t {
		if !filler[w] {
			out = append(out, w)
		}
	}
	return out
}

var yesWords = map[string]bool{
	"si": true, "dale": true, "ok": true, "perfecto": true, "perfecta": true, "joya": true, "genial": true,
	"listo": true, "claro": true, "obvio": true, "confirmo": true, "confirmado": true, "correcto": true,
	"exacto": true, "afirmativo": true, "buenisimo": true, "barbaro": true, "excelente": true, "sisi": true,
	"va": true, "vale": true, "daale": true, "dalee": true, "yes": true,
}

var leadIn = map[string]bool{
	"hola": true, "buenas": true, "buen": true, "buenos": true, "dia": true, "dias": true, "tardes": true,
	"noches": true, "bueno": true, "ah": true, "eh": true, "bien": true, "mmm": true,
}

var noWords = map[string]bool{"no": true, "negativo": true, "nono": true}

func findIntent(t []string, raw string, u Understanding) Intent {
	s := " " + strings.Join(t, " ") + " "
	has := func(phrases ...string) bool {
		for _, p := range phrases {
			if strings.Contains(s, " "+p+" ") {
				return true
			}
		}
		return false
	}
	hasPrefix := func(prefixes ...string) bool {
		for _, w := range t {
			for _, p := range prefixes {
				if strings.HasPrefix(w, p) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("humano", "humana", "operador", "operadora", "atencion", "asesor", "asesora", "persona real", "alguien real",
		"con alguien", "con una persona", "con un humano", "con el dueno", "con la duena", "con el encargado",
		"con la encargada", "con el propietario", "con la propietaria", "quiero hablar", "necesito hablar",
		"hablar con", "llamame", "llamenme", "me pueden llamar", "me podes llamar", "me puede llamar", "agente",
		"me atienda", "nos atienda", "pasame con", "comunicarme con", "dueno", "duena", "encargado", "encargada"):
		return IntentHuman
	case hasPrefix("cancel", "anul") || has("dar de baja", "doy de baja", "damos de baja", "de baja la reserva",
		"no vamos a poder ir", "no voy a poder ir", "no podemos ir", "no puedo ir", "ya no vamos", "ya no voy",
		"suspender la reserva", "suspendo la reserva", "bajarnos de la reserva", "bajarme de la reserva"):
		return IntentCancel
	case u.Code != "" || has("ya pague", "ya transferi", "ya pagamos", "ya transferimos", "ya te pague", "mi reserva", "mis reservas", "nuestra reserva", "estado de la reserva", "estado de mi",
		"mi reservacion", "la reserva que hice", "ya reserve", "ya reservamos", "reserva confirmada", "esta confirmada"):
		return IntentStatus
	case has("reservar", "reservame", "reservamelo", "reservamela", "reservalo", "reservala", "reserven", "lo reservo", "la reservo",
		"reservamos", "reservemos", "reservarlo", "reservarla", "reservenme", "reservenlo", "reservenla",
		"una reserva", "hacer reserva", "la reserva", "reserva", "lo tomo", "la tomo", "lo tomamos", "la tomamos",
		"me lo quedo", "me la quedo", "nos lo quedamos", "nos la quedamos", "senar", "senamos", "sena", "link de pago", "alias", "cbu", "pagar", "transferir"),
		u.Choice > 0 && has("quiero la", "quiero el", "me quedo con", "elijo", "nos quedamos con", "prefiero", "vamos con"):
		return IntentBook
	}
	// "hola, sí" and "bueno dale" are still a yes: what leads the answer decides.
	for len(t) > 1 && leadIn[t[0]] {
		t = t[1:]
	}
	first := at(t, 0)
	if first == "no" && (at(t, 1) == "se" || at(t, 1) == "sabria" || at(t, 1) == "entiendo" || at(t, 1) == "entendi") {
		// "no sé" is doubt, not a refusal.
		first = ""
	}
	switch {
	case has("precio", "tarifa", "valor", "costo", "cuesta", "cuestan", "cobran", "cobras", "sale", "salen",
		"presupuesto", "cotizacion", "cotizar", "cuanto", "cuant", "cuanto es", "a cuanto") || strings.Contains(raw, "$"):
		return IntentPrice
	case hasPrefix("dispo") || has("lugar", "libre", "libres", "cupo", "ocupado", "ocupada", "queremos ir", "quiero ir",
		"queria ir", "queriamos ir", "vamos a ir", "podemos ir", "tienen algo", "tenes algo", "hay algo", "tienen para",
		"tenes para", "alquilar", "alquiler", "vacante", "hay para", "tienen cabana", "tienen depto"):
		return IntentAvailability
	case has("ayuda", "help", "no entiendo", "no entendi", "menu", "opciones", "que puedo hacer", "que podes hacer", "como funciona", "comandos",
		"instrucciones") || isOnlyQuestionMarks(raw):
		return IntentHelp
	case yesWords[first] || has("de una", "me parece bien", "esta bien", "todo bien", "por supuesto"):
		if first == "si" && len(t) > 1 && !yesWords[at(t, 1)] && !filler[at(t, 1)] && u.Choice == 0 &&
			u.Guests == 0 && u.CheckIn.IsZero() && u.Name == "" && len(t) > 4 {
			// "si tienen algo…" is a conditional, not an answer.
			break
		}
		return IntentYes
	case noWords[first] || has("mejor no", "para nada", "no gracias"):
		return IntentNo
	}
	if u.CheckIn.IsZero() && u.Guests == 0 && u.Choice == 0 && hasGreeting(s) {
		return IntentGreeting
	}
	return IntentNone
}

func hasGreeting(s string) bool {
	for _, g := range []string{" hola ", " buenas ", " buen dia ", " buenos dias ", " buenas tardes ", " buenas noches ",
		" que tal ", " hey ", " saludos ", " buendia ", " holu "} {
		if strings.Contains(s, g) {
			return true
		}
	}
	return false
}

func isOnlyQuestionMarks(raw string) bool {
	seen := false
	for _, r := range raw {
		switch {
		case r == '?':
			seen = true
		case r == '¿' || unicode.IsSpace(r):
		default:
			return false
		}
	}
	return seen
}

func isMonthWord(w string) bool { _, ok := monthOf(w); return ok }

// isDayPair reads "10-15": two day numbers and one dash.
func isDayPair(w string) bool {
	k := strings.IndexByte(w, '-')
	if k <= 0 || strings.Count(w, "-") != 1 {
		return false
	}
	a, okA := dayNumber(w[:k])
	b, okB := dayNumber(w[k+1:])
	return okA && okB && b > a && allDigits(w[:k]) && allDigits(w[k+1:])
}
