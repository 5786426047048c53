package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/internal/booking"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// The pages changed by the hardening against abuse (hold caps, names with
// links, the longest anonymous stay, orphan imported nights, WhatsApp numbers
// proven with the account's token), each seen in a real browser at a phone's
// size and at a desktop's.

type abuseSize struct {
	name string
	w, h int
}

var abuseSizes = []abuseSize{{"phone", phoneW, phoneH}, {"desktop", 1280, 900}}

// abuseBrowser opens a tab of the size's viewport. Headless chromium does not
// make a window narrower than 500 px, so the phone's 390 px come from an
// emulated viewport.
func abuseBrowser(t *testing.T, size abuseSize) context.Context {
	t.Helper()
	ctx := webtest.Browser(t, size.w, size.h)
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h))))
	return ctx
}

// abuseText is the visible text of sel.
func abuseText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	require.NoError(t, err, sel)
	return s
}

// abuseValue is the current value of the field sel.
func abuseValue(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Value(sel))
	require.NoError(t, err, sel)
	return s
}

// abuseJS evaluates a JavaScript expression that yields a boolean.
func abuseJS(t *testing.T, ctx context.Context, expr string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
	require.NoError(t, err, expr)
	return ok
}

// abuseClear empties a field the user may have typed in (chromedp.Clear only
// resets the value attribute).
func abuseClear(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
}

// abuseBeside checks that the error is the element right after its field,
// tied to it by aria-describedby, and that the field is marked invalid.
func abuseBeside(t *testing.T, ctx context.Context, field, errID string) {
	t.Helper()
	require.True(t, abuseJS(t, ctx, fmt.Sprintf(`(() => {
		const f = document.querySelector(%q), e = document.getElementById(%q);
		return !!f && !!e && f.nextElementSibling === e && f.getAttribute('aria-invalid') === 'true' &&
			f.getAttribute('aria-describedby') === %q;
	})()`, field, errID, errID)), "%s is beside %s", errID, field)
}

// abuseShot takes the screenshot and checks the page does not scroll sideways.
func abuseShot(t *testing.T, ctx context.Context, size abuseSize, name string) {
	t.Helper()
	webtest.Screenshot(t, ctx, name)
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	require.NoError(t, err)
	require.LessOrEqual(t, widths[0], widths[1], "%s at %s scrolls sideways (scrollWidth %d, innerWidth %d)", name, size.name, widths[0], widths[1])
	if size.name == "phone" {
		require.Equal(t, size.w, widths[1], "the phone viewport is phone-sized")
	}
}

// abuseLogin signs the owner in from the login page and lands on path.
func abuseLogin(t *testing.T, ctx context.Context, s *webtest.Server, email, password, path, until string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(s.URL+"/login?next="+url.QueryEscape(path)),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(until),
	))
}

// TestBrowserAbuseGuestHoldCapAndNameWithLink: a guest page reached from a
// network that already holds three live reservations. A name with a web
// address is refused beside the name; a proper name meets the cap notice,
// and what the guest typed stays in the form.
func TestBrowserAbuseGuestHoldCapAndNameWithLink(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{RateLimit: 10000}) // caps are on only with a rate limit
	p := guestProperty(t, s)
	in := s.Today().AddDate(0, 0, 10)
	for i := range 3 {
		ci := in.AddDate(0, 0, 3*i)
		b := holdBody(p.ID, ci, ci.AddDate(0, 0, 2))
		b["guest_phone"] = "11 5555-000" + strconv.Itoa(i)
		r := s.Do(t, http.MethodPost, prereservePath, b, map[string]string{"Content-Type": "application/json"})
		require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	}
	later := in.AddDate(0, 0, 20)
	q := url.Values{"check_in": {booking.FormatDate(later)}, "check_out": {booking.FormatDate(later.AddDate(0, 0, 2))}, "guests": {"2"}}
	pageURL := s.URL + "/p/" + p.Slug + "?" + q.Encode()

	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			ctx := abuseBrowser(t, size)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(pageURL),
				chromedp.WaitVisible(`#reservar`),
				chromedp.SendKeys(`#guest_name`, "Ganaste, entrá a premio.example"),
				chromedp.SendKeys(`#guest_phone`, "11 4444-1234"),
				chromedp.SendKeys(`#guest_email`, "tomas@example.com"),
				chromedp.Click(`#accept_terms`),
				chromedp.Click(`#reservar`),
				chromedp.WaitVisible(`#guest_name-error`),
			))
			require.Equal(t, "El nombre no puede tener links ni direcciones web.", abuseText(t, ctx, `#guest_name-error`))
			abuseBeside(t, ctx, `#guest_name`, "guest_name-error")
			require.Equal(t, "Ganaste, entrá a premio.example", abuseValue(t, ctx, `#guest_name`), "what was typed stays")
			require.True(t, abuseJS(t, ctx, `(() => { const r = document.querySelector('#guest_name-error').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`),
				"the error is in view, where the guest is")
			require.Equal(t, "11 4444-1234", abuseValue(t, ctx, `#guest_phone`))
			require.Equal(t, "$ 25.000,00", abuseText(t, ctx, `#quote-total`), "the quote stays on screen")
			abuseShot(t, ctx, size, "1-name-with-link")

			require.NoError(t, chromedp.Do(ctx,
				abuseClear(`#guest_name`),
				chromedp.SendKeys(`#guest_name`, "Tomás Ruiz"),
				chromedp.Click(`#reservar`),
				chromedp.WaitVisible(`#aviso`),
			))
			require.Equal(t, "Desde tu conexión ya hay varias reservas pendientes de seña. Pagá la seña de alguna o esperá a que venza para pedir otra.",
				abuseText(t, ctx, `#aviso`))
			require.Equal(t, "Tomás Ruiz", abuseValue(t, ctx, `#guest_name`), "what was typed stays")
			require.Equal(t, "11 4444-1234", abuseValue(t, ctx, `#guest_phone`))
			require.Equal(t, "tomas@example.com", abuseValue(t, ctx, `#guest_email`))
			require.False(t, abuseJS(t, ctx, `!!document.querySelector('#guest_name-error')`), "the name is fine now")
			// The notice opens the box, far above the button: the page brings it into view.
			require.NoError(t, poll(ctx, `(() => { const r = document.querySelector('#aviso').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()`))
			loc, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			require.Contains(t, loc, "/p/"+p.Slug, "the guest stays on the property page")
			abuseShot(t, ctx, size, "2-too-many-holds")
			require.Equal(t, 3, s.Count(t, `SELECT count(*) FROM reservations`), "no fourth hold")
		})
	}
}

// TestBrowserAbuseMaxAnonymousNights: the property form shows the longest
// stay a guest may hold alone (30 by default), refuses 0 beside the field
// keeping it, and saves 14.
func TestBrowserAbuseMaxAnonymousNights(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	const field = `#f-max_anonymous_nights`

	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			p := s.Property(t)
			edit := fmt.Sprintf("/admin/properties/%d/edit", p.ID)
			ctx := abuseBrowser(t, size)
			abuseLogin(t, ctx, s, email, password, edit, field)
			require.Equal(t, "Estadía máxima que un huésped puede reservar solo (noches); para más, te escribe",
				abuseText(t, ctx, `label[for="f-max_anonymous_nights"]`))
			require.Equal(t, "30", abuseValue(t, ctx, field))
			abuseShot(t, ctx, size, "1-default")

			require.NoError(t, chromedp.Do(ctx, abuseClear(field), chromedp.SendKeys(field, "0")))
			submit(t, ctx, `#property-form button[type=submit]`, `!!document.querySelector('#f-max_anonymous_nights-error')`)
			require.Equal(t, "Ingresá de 1 a 365 noches.", abuseText(t, ctx, `#f-max_anonymous_nights-error`))
			abuseBeside(t, ctx, field, "f-max_anonymous_nights-error")
			require.Equal(t, "0", abuseValue(t, ctx, field), "what was typed stays")
			require.Equal(t, "Revisá los campos marcados: no se guardó nada.", abuseText(t, ctx, `#property-form p.error`))
			abuseShot(t, ctx, size, "2-zero-refused")
			require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND max_anonymous_nights = 30`, p.ID))

			require.NoError(t, chromedp.Do(ctx, abuseClear(field), chromedp.SendKeys(field, "14")))
			submit(t, ctx, `#property-form button[type=submit]`, `!!document.querySelector('.flash')`)
			require.Contains(t, abuseText(t, ctx, `.flash`), "Guardaste los cambios")
			abuseShot(t, ctx, size, "3-saved")
			require.Equal(t, 1, s.Count(t, `SELECT count(*) FROM properties WHERE id = $1 AND max_anonymous_nights = 14`, p.ID))
			require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(s.URL+edit), chromedp.WaitVisible(field)))
			require.Equal(t, "14", abuseValue(t, ctx, field))
		})
	}
}

// TestBrowserAbuseFeedsReleaseOrphans: an imported stay that no calendar
// points to is listed on the feeds page; the owner frees it with one button.
func TestBrowserAbuseFeedsReleaseOrphans(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	today := s.Today()

	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			p := s.Property(t)
			var id int64
			require.NoError(t, s.Pool.QueryRow(t.Context(), `INSERT INTO occupancy (property_id, nights, kind, note)
				VALUES ($1, daterange($2::date, $3::date), 'imported', 'Airbnb · Reserva') RETURNING id`,
				p.ID, today.AddDate(0, 0, 10), today.AddDate(0, 0, 13)).Scan(&id))
			page := fmt.Sprintf("/admin/properties/%d/feeds", p.ID)
			ctx := abuseBrowser(t, size)
			abuseLogin(t, ctx, s, email, password, page, `.feed-orphans`)

			orphans := abuseText(t, ctx, `.feed-orphans`)
			require.Contains(t, orphans, "1 estadía importada ya no corresponde a ningún calendario y sigue bloqueando noches:")
			require.Equal(t, "del "+today.AddDate(0, 0, 10).Format("02/01/2006")+" al "+today.AddDate(0, 0, 13).Format("02/01/2006")+" (Airbnb · Reserva)",
				abuseText(t, ctx, `.feed-orphans li`))
			require.Equal(t, "Liberar esas noches", abuseText(t, ctx, `.feed-orphans button[type=submit]`))
			abuseShot(t, ctx, size, "1-orphan-listed")

			submit(t, ctx, `.feed-orphans button[type=submit]`, `!!document.querySelector('.flash')`)
			require.Contains(t, abuseText(t, ctx, `.flash`), "Liberamos las noches de 1 estadía importada sin calendario.")
			require.False(t, abuseJS(t, ctx, `!!document.querySelector('.feed-orphans')`), "nothing left to free")
			abuseShot(t, ctx, size, "2-released")
			require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM occupancy WHERE id = $1 AND active`, id))
		})
	}
}

// TestBrowserAbuseWhatsAppNumberNotOfTheToken: the settings page asks for the
// account's own access token (a password field, never filled back); a number
// the token's business does not have is refused beside the number.
func TestBrowserAbuseWhatsAppNumberNotOfTheToken(t *testing.T) {
	t.Parallel()
	graph := watest.NewGraph(t)
	s := webtest.Start(t, webtest.Options{WhatsAppURL: graph.URL})
	graph.AddNumber(watest.Number{ID: "111000111000111", Token: "token-negocio-a", Display: "+54 9 11 4000-0001", VerifiedName: "Cabañas A"})
	email, password := s.User(t, "owner")
	const stranger = "333000333000333" // no business of that token has it

	for _, size := range abuseSizes {
		t.Run(size.name, func(t *testing.T) {
			ctx := abuseBrowser(t, size)
			abuseLogin(t, ctx, s, email, password, "/admin/settings/whatsapp", `#f-access_token`)
			require.Equal(t, "Token de acceso de tu cuenta de WhatsApp Business", abuseText(t, ctx, `label[for="f-access_token"]`))
			require.True(t, abuseJS(t, ctx, `document.querySelector('#f-access_token').type === 'password'`), "the token is a password field")
			require.Equal(t, "", abuseValue(t, ctx, `#f-access_token`))
			abuseShot(t, ctx, size, "1-settings")

			require.NoError(t, chromedp.Do(ctx,
				abuseClear(`#f-phone_number_id`),
				chromedp.SendKeys(`#f-phone_number_id`, stranger),
				chromedp.SendKeys(`#f-access_token`, "token-negocio-a"),
			))
			submit(t, ctx, `#wa-save`, `!!document.querySelector('#f-phone_number_id-error')`)
			require.Equal(t, "Meta dice que ese número no es de la cuenta de WhatsApp Business de ese token. "+
				"Revisá el identificador y el token en Meta › WhatsApp › Configuración de la API.",
				abuseText(t, ctx, `#f-phone_number_id-error`))
			abuseBeside(t, ctx, `#f-phone_number_id`, "f-phone_number_id-error")
			require.Equal(t, stranger, abuseValue(t, ctx, `#f-phone_number_id`), "what was typed stays")
			require.Equal(t, "", abuseValue(t, ctx, `#f-access_token`), "the token is never sent back")
			require.False(t, abuseJS(t, ctx, `document.body.innerHTML.includes('token-negocio-a')`))
			abuseShot(t, ctx, size, "2-number-refused")
		})
	}
	asked := false
	for _, l := range graph.Lookups() {
		asked = asked || (l.PhoneNumberID == stranger && l.Token == "token-negocio-a")
	}
	require.True(t, asked, "Meta was asked with the typed token")
	require.Equal(t, 0, s.Count(t, `SELECT count(*) FROM whatsapp_settings WHERE phone_number_id = $1`, stranger))
}
