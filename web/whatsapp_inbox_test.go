package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbtest"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// ibEnv is a server with WhatsApp wired to a fake Graph API and workers running.
type ibEnv struct {
	s     *webtest.Server
	graph *watest.Graph
}

func ibStart(t *testing.T) ibEnv {
	t.Helper()
	graph := watest.NewGraph(t)
	return ibEnv{s: webtest.Start(t, webtest.Options{Workers: true, WhatsAppURL: graph.URL}), graph: graph}
}

var ibSeq atomic.Int64

// say posts a guest's text the way Meta does (signed) and waits until the
// message is stored; it returns the conversation's id.
func (e ibEnv) say(t *testing.T, from, name, text string) int64 {
	t.Helper()
	wamid := fmt.Sprintf("wamid.IB%d.%d", time.Now().UnixNano(), ibSeq.Add(1))
	body := watest.TextMessage(webtest.WhatsAppNumberID, from, name, wamid, text, e.s.Clock.Now())
	req, err := http.NewRequest(http.MethodPost, e.s.URL+"/webhooks/whatsapp", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(webtest.WhatsAppSecret, body))
	res, err := e.s.Client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var conv int64
	dbtest.Eventually(t, "message "+wamid+" stored", func() bool {
		err := e.s.Pool.QueryRow(context.Background(),
			`SELECT conversation_id FROM wa_messages WHERE wamid = $1`, wamid).Scan(&conv)
		return err == nil
	})
	return conv
}

// to is every accepted send to number.
func (e ibEnv) to(number string) []watest.Request {
	var out []watest.Request
	for _, r := range e.graph.Sent() {
		if r.To == number {
			out = append(out, r)
		}
	}
	return out
}

// waitTo waits until n sends reached number and returns the n-th.
func (e ibEnv) waitTo(t *testing.T, number string, n int) watest.Request {
	t.Helper()
	dbtest.Eventually(t, fmt.Sprintf("%d sends to %s", n, number), func() bool { return len(e.to(number)) >= n })
	return e.to(number)[n-1]
}

// settle waits until the inbox and the outbound queue are drained.
func (e ibEnv) settle(t *testing.T) {
	t.Helper()
	dbtest.Eventually(t, "whatsapp processed", func() bool {
		return e.s.Count(t, `SELECT count(*) FROM webhook_inbox WHERE provider = 'whatsapp' AND processed_at IS NULL`) == 0 &&
			e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE status IN ('queued', 'sending')`) == 0
	})
}

func (e ibEnv) owner(t *testing.T) *webtest.Session {
	t.Helper()
	email, password := e.s.User(t, "owner")
	return e.s.Login(t, email, password)
}

var ibTokenRE = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)

// ibToken is the reply form's one-time token on a conversation page.
func ibToken(t *testing.T, page string) string {
	t.Helper()
	m := ibTokenRE.FindStringSubmatch(page)
	require.NotNil(t, m, "reply token in the page")
	return m[1]
}

func convPath(id int64) string { return fmt.Sprintf("/admin/whatsapp/%d", id) }

func TestInboxListAndConversationShowMessagesAndStatuses(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550001"
	conv := e.say(t, guest, "Lucía Gómez", "Hola, ¿tienen lugar?")
	e.waitTo(t, guest, 1) // the assistant answered
	e.settle(t)
	owner := e.owner(t)

	list := owner.Get("/admin/whatsapp")
	require.Equal(t, http.StatusOK, list.Status)
	body := string(list.Body)
	require.Contains(t, body, "Lucía Gómez")
	require.Contains(t, body, "+"+guest)
	require.Contains(t, body, `href="`+convPath(conv)+`"`)
	require.Contains(t, body, "Asistente")
	require.Contains(t, body, `hx-trigger="every 3s"`)
	require.Regexp(t, `id="nav-wa-unread" class="nav-count"><span class="visually-hidden">, sin leer: </span>1</span>`, body)
	require.Contains(t, body, `aria-label="1 mensaje sin leer"`)

	page := owner.Get(convPath(conv))
	require.Equal(t, http.StatusOK, page.Status)
	body = string(page.Body)
	require.Contains(t, body, "Hola, ¿tienen lugar?")
	require.Contains(t, body, "Huésped")
	require.Contains(t, body, "Asistente")
	require.Contains(t, body, "Enviado", "the assistant's reply with its delivery state")
	require.Regexp(t, `hx-get="`+convPath(conv)+`/mensajes\?v=[0-9a-z]+"`, body)
	require.Contains(t, body, "Tu respuesta")
	require.Contains(t, body, "Tomar la conversación")
	require.Equal(t, 0, e.s.Count(t, `SELECT unread FROM wa_conversations WHERE id = $1`, conv), "opening it marks it read")
	require.NotContains(t, string(owner.Get("/admin/whatsapp").Body), "mensaje sin leer")
	// A poll while nothing changed gets 204: htmx leaves the page alone.
	poll := regexp.MustCompile(`hx-get="(` + convPath(conv) + `/mensajes\?v=[0-9a-z]+)"`).FindStringSubmatch(body)[1]
	require.Equal(t, http.StatusNoContent, owner.Do(ibHX(t, e.s, poll)).Status)
	listPoll := regexp.MustCompile(`hx-get="(/admin/whatsapp\?v=[0-9a-z]+)"`).FindStringSubmatch(string(owner.Get("/admin/whatsapp").Body))[1]
	require.Equal(t, http.StatusNoContent, owner.Do(ibHX(t, e.s, listPoll)).Status)

	// Delivery states from Meta's webhook appear in words.
	var wamid string
	require.NoError(t, e.s.Pool.QueryRow(context.Background(),
		`SELECT wamid FROM wa_messages WHERE conversation_id = $1 AND direction = 'out' ORDER BY id LIMIT 1`, conv).Scan(&wamid))
	st := watest.Status(webtest.WhatsAppNumberID, wamid, "read", guest, e.s.Clock.Now(), 0)
	req, _ := http.NewRequest(http.MethodPost, e.s.URL+"/webhooks/whatsapp", bytes.NewReader(st))
	req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(webtest.WhatsAppSecret, st))
	res, err := e.s.Client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	dbtest.Eventually(t, "read status", func() bool {
		return e.s.Count(t, `SELECT count(*) FROM wa_messages WHERE wamid = $1 AND status = 'read'`, wamid) == 1
	})
	frag := owner.Do(ibHX(t, e.s, poll))
	require.Equal(t, http.StatusOK, frag.Status)
	require.True(t, strings.HasPrefix(strings.TrimSpace(string(frag.Body)), `<ol id="wa-messages"`), "htmx gets the list only")
	require.Contains(t, string(frag.Body), "wa-st-read")
	require.Contains(t, string(frag.Body), "Leído")
	require.Contains(t, string(frag.Body), "✓✓")
	require.Contains(t, string(frag.Body), `id="nav-wa-unread" class="nav-count" hx-swap-oob="true"`)
	require.Equal(t, http.StatusNoContent, owner.Do(ibHX(t, e.s, listPoll)).Status, "the list shows no delivery state")
	e.say(t, "5491155550099", "Otro", "hola")
	fresh := owner.Do(ibHX(t, e.s, listPoll))
	require.Equal(t, http.StatusOK, fresh.Status, "a new conversation changes the list")
	require.Contains(t, string(fresh.Body), "Otro")
	require.Contains(t, string(fresh.Body), `hx-swap-oob="true"><span class="visually-hidden">, sin leer: </span>1</span>`)

	// A failure and a skipped message say why.
	_, err = e.s.Pool.Exec(context.Background(), `INSERT INTO wa_messages (account_id, conversation_id, direction, author, kind, body, status, error_code, error)
		VALUES ($1, $2, 'out', 'system', 'text', 'Aviso uno', 'failed', 131026, 'x'), ($1, $2, 'out', 'system', 'text', 'Aviso dos', 'skipped', 0, 'fuera de la ventana de 24 h y sin plantilla'),
		($1, $2, 'out', 'assistant', 'text', 'Aviso tres', 'unknown', 0, 'sin respuesta de WhatsApp: puede haber llegado')`, e.s.Account.ID, conv)
	require.NoError(t, err)
	body = string(owner.Get(convPath(conv)).Body)
	require.Contains(t, body, "Falló")
	require.Contains(t, body, "ese número no puede recibir el mensaje (¿tiene WhatsApp?) (código 131026)")
	require.Contains(t, body, "No enviado")
	require.Contains(t, body, "fuera de la ventana de 24 h y sin plantilla")
	require.Contains(t, body, "No sabemos si llegó")
	require.Contains(t, body, "Sistema")
}

// ibHX is a GET as htmx makes it.
func ibHX(t *testing.T, s *webtest.Server, path string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	return req
}

func TestInboxReplyInsideTheWindowReachesTheGuest(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550002"
	conv := e.say(t, guest, "Marcos", "hola")
	e.waitTo(t, guest, 1)
	e.settle(t)
	owner := e.owner(t)
	page := string(owner.Get(convPath(conv)).Body)
	token := ibToken(t, page)

	r := owner.PostForm(convPath(conv)+"/responder", url.Values{"text": {"Hola Marcos, sí, te esperamos."}, "token": {token}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, convPath(conv), r.Header.Get("Location"))
	sent := e.waitTo(t, guest, 2)
	require.Equal(t, "text", sent.Type)
	require.Equal(t, "Hola Marcos, sí, te esperamos.", sent.Text)

	// The same form submitted twice is one message.
	r = owner.PostForm(convPath(conv)+"/responder", url.Values{"text": {"Hola Marcos, sí, te esperamos."}, "token": {token}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	e.settle(t)
	require.Len(t, e.to(guest), 2)

	body := string(owner.Get(convPath(conv)).Body)
	require.Contains(t, body, "Mensaje en camino.")
	require.Contains(t, body, "Hola Marcos, sí, te esperamos.")
	require.Contains(t, body, "Usuario owner", "the author is the user who wrote it")

	// Empty: refused in place.
	r = owner.PostForm(convPath(conv)+"/responder", url.Values{"text": {"   "}, "token": {"t2"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Escribí el mensaje antes de enviarlo.")
	require.Contains(t, string(r.Body), `aria-invalid="true"`)
}

func TestInboxOutsideTheWindowOnlyTemplates(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550003"
	conv := e.say(t, guest, "Nora Díaz", "hola")
	e.waitTo(t, guest, 1)
	e.settle(t)
	owner := e.owner(t)
	token := ibToken(t, string(owner.Get(convPath(conv)).Body))

	e.s.Clock.Advance(25 * time.Hour)
	owner = e.owner(t) // the session ran out with the day
	r := owner.PostForm(convPath(conv)+"/responder", url.Values{"text": {"¿Seguís interesada?"}, "token": {token}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status, r.Header.Get("Location"))
	body := string(r.Body)
	require.Contains(t, body, "Pasaron más de 24 horas desde el último mensaje del huésped: WhatsApp solo permite enviar una plantilla aprobada")
	require.Contains(t, body, "¿Seguís interesada?", "what was typed is kept")
	require.Contains(t, body, whatsapp.DefaultTemplates[whatsapp.EventFollowUp])
	require.NotContains(t, body, `id="wa-text"`, "no free-text box outside the window")

	page := string(owner.Get(convPath(conv)).Body)
	require.Contains(t, page, "Pasaron más de 24 horas")
	require.Contains(t, page, "Enviar plantilla")
	r = owner.PostForm(convPath(conv)+"/plantilla", url.Values{"event": {"nope"}, "token": {ibToken(t, page)}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Elegí una de las plantillas de la lista.")

	r = owner.PostForm(convPath(conv)+"/plantilla", url.Values{"event": {whatsapp.EventFollowUp}, "token": {ibToken(t, page)}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	sent := e.waitTo(t, guest, 2)
	require.Equal(t, "template", sent.Type)
	require.Equal(t, whatsapp.DefaultTemplates[whatsapp.EventFollowUp], sent.Template)
	require.Equal(t, "Nora", sent.Params[0])
	e.settle(t)
	body = string(owner.Get(convPath(conv)).Body)
	require.Contains(t, body, "Plantilla "+whatsapp.DefaultTemplates[whatsapp.EventFollowUp])
}

func TestInboxTakeOverSilencesTheAssistantAndHandBack(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550004"
	conv := e.say(t, guest, "Olga", "hola")
	e.waitTo(t, guest, 1)
	e.settle(t)
	owner := e.owner(t)

	r := owner.PostForm(convPath(conv)+"/modo", url.Values{"mode": {"owner"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	page := string(owner.Get(convPath(conv)).Body)
	require.Contains(t, page, "Tomaste la conversación")
	require.Contains(t, page, "Devolver al asistente")
	require.Contains(t, string(owner.Get("/admin/whatsapp").Body), "Atendés vos")

	e.say(t, guest, "Olga", "cuanto sale del 10 al 12 de marzo")
	e.settle(t)
	require.Len(t, e.to(guest), 1, "the assistant stays quiet while the owner has the chat")

	r = owner.PostForm(convPath(conv)+"/modo", url.Values{"mode": {"assistant"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Contains(t, string(owner.Get(convPath(conv)).Body), "Le devolviste la conversación al asistente.")
	e.say(t, guest, "Olga", "hola de nuevo")
	e.waitTo(t, guest, 2)

	r = owner.PostForm(convPath(conv)+"/modo", url.Values{"mode": {"robot"}})
	require.Equal(t, http.StatusBadRequest, r.Status)
}

func TestInboxOtherAccountsConversationIsNotFound(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550005"
	conv := e.say(t, guest, "Pía", "hola")
	_, email, password := e.s.OtherAccount(t)
	other := e.s.Login(t, email, password)
	for _, path := range []string{convPath(conv), convPath(conv) + "/mensajes"} {
		require.Equal(t, http.StatusNotFound, other.Get(path).Status, path)
	}
	for _, path := range []string{"/responder", "/plantilla", "/modo"} {
		r := other.PostForm(convPath(conv)+path, url.Values{"text": {"hola"}, "mode": {"owner"}, "event": {whatsapp.EventFollowUp}})
		require.Equal(t, http.StatusNotFound, r.Status, path)
	}
	require.Equal(t, http.StatusNotFound, other.Get("/admin/whatsapp/abc").Status)
	list := string(other.Get("/admin/whatsapp").Body)
	require.NotContains(t, list, guest)
	require.Contains(t, list, "Todavía no hay conversaciones.")
	require.Contains(t, list, "conectá el número de WhatsApp Business")
	require.Contains(t, list, `href="/admin/settings/whatsapp"`)
	require.Equal(t, 1, e.s.Count(t, `SELECT unread FROM wa_conversations WHERE id = $1`, conv), "nothing read by the other account")
	require.Equal(t, "assistant", ibMode(t, e.s, conv))
}

func ibMode(t *testing.T, s *webtest.Server, conv int64) string {
	t.Helper()
	var mode string
	require.NoError(t, s.Pool.QueryRow(context.Background(), `SELECT mode FROM wa_conversations WHERE id = $1`, conv).Scan(&mode))
	return mode
}

func TestInboxStaffAnswersToo(t *testing.T) {
	t.Parallel()
	e := ibStart(t)
	guest := "5491155550006"
	conv := e.say(t, guest, "", "hola")
	email, password := e.s.User(t, "staff")
	staff := e.s.Login(t, email, password)
	list := string(staff.Get("/admin/whatsapp").Body)
	require.Contains(t, list, "+"+guest, "no profile name: the phone")
	require.NotContains(t, list, "Configuración de WhatsApp")
	require.Equal(t, http.StatusOK, staff.Get(convPath(conv)).Status)
}
