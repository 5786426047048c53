package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// TestBrowserInboxLiveOnAPhone: the owner keeps the inbox open on a phone;
// a guest writes, the conversation appears and updates without a reload,
// the owner answers and sees the answer go out with its state.
func TestBrowserInboxLiveOnAPhone(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	email, password := e.s.User(t, "owner")
	ctx := webtest.Browser(t, 390, 844)
	guest := "5491155550101"

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(e.s.URL+"/admin/whatsapp"),
		chromedp.WaitVisible(`#email`),
		chromedp.SendKeys(`#email`, email),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`.wa-empty`),
	))
	webtest.Screenshot(t, ctx, "1-empty")
	// A mark on the window: it survives only if the page is never reloaded.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload = true`))
	require.NoError(t, err)

	conv := e.say(t, guest, "Valeria Ruiz", "Hola! Quería consultar por el finde largo")
	require.NoError(t, poll(ctx, `!!document.querySelector('a[href="`+convPath(conv)+`"]') && window.__noReload === true`))
	require.NoError(t, poll(ctx, `document.querySelector('#nav-wa-unread').textContent.trim().endsWith('1')`))
	list, err := chromedp.Run(ctx, chromedp.Text(`#wa-inbox`))
	require.NoError(t, err)
	require.Contains(t, list, "Valeria Ruiz")
	webtest.Screenshot(t, ctx, "2-arrived")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`a[href="`+convPath(conv)+`"]`),
		chromedp.WaitVisible(`#wa-messages`),
		chromedp.WaitVisible(`#wa-text`),
	))
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload = true`))
	require.NoError(t, err)
	e.say(t, guest, "Valeria Ruiz", "Somos dos personas y un perro")
	require.NoError(t, poll(ctx, `document.querySelector('#wa-messages').textContent.includes('Somos dos personas y un perro') && window.__noReload === true`))
	webtest.Screenshot(t, ctx, "3-conversation")

	// Take over, then answer.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`#wa-takeover`),
		chromedp.WaitVisible(`#wa-handback`),
		chromedp.SendKeys(`#wa-text`, "¡Hola Valeria! Sí, aceptamos mascotas."),
		chromedp.Click(`#wa-send`),
		chromedp.WaitVisible(`.flash`),
	))
	require.NoError(t, poll(ctx, `[...document.querySelectorAll('#wa-messages .wa-out')].some(li =>
		li.textContent.includes('aceptamos mascotas') && li.querySelector('.wa-st-sent') !== null)`))
	sent := e.waitTo(t, guest, 2)
	found := false
	for _, r := range e.to(guest) {
		found = found || r.Text == "¡Hola Valeria! Sí, aceptamos mascotas."
	}
	require.True(t, found, "the guest got the owner's words: %+v", sent)
	last, err := chromedp.Run(ctx, chromedp.Text(`#wa-messages .wa-out:last-child`))
	require.NoError(t, err)
	require.True(t, strings.Contains(last, "Enviado") && strings.Contains(last, "Usuario owner"), last)
	webtest.Screenshot(t, ctx, "4-replied")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(e.s.URL+"/admin/settings/whatsapp"),
		chromedp.WaitVisible(`#wa-health`),
	))
	webtest.Screenshot(t, ctx, "5-settings")
}
