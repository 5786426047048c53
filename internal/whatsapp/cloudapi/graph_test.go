package cloudapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"alojamientos/internal/whatsapp/cloudapi"
	"alojamientos/internal/whatsapp/watest"
)

func fakeClient(t *testing.T) (*cloudapi.Client, *watest.Graph) {
	t.Helper()
	g := watest.NewGraph(t)
	return cloudapi.NewClient(g.URL, g.Token(), nil), g
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return m
}

func sameJSON(t *testing.T, got []byte, want map[string]any) {
	t.Helper()
	if g := decode(t, got); !reflect.DeepEqual(g, want) {
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("sent\n%s\nwant\n%s", got, w)
	}
}

func sendOne(t *testing.T, m cloudapi.Outgoing) []byte {
	t.Helper()
	c, g := fakeClient(t)
	wamid, err := c.Send(context.Background(), ourNumber, m)
	if err != nil {
		t.Fatal(err)
	}
	sent := g.Sent()
	if len(sent) != 1 || sent[0].WAMID != wamid || !strings.HasPrefix(wamid, "wamid.TEST") {
		t.Fatalf("sent %+v, wamid %q", sent, wamid)
	}
	return sent[0].Raw
}

func TestSendTextMatchesFixture(t *testing.T) {
	t.Parallel()
	want := decode(t, fixture(t, "send_text_request.json"))
	// Meta accepts "+"; we always send the wa_id digits.
	want["to"] = guest
	raw := sendOne(t, cloudapi.Outgoing{To: "+" + guest, Kind: "text",
		Body: "As requested, here's the link to our latest product: https://www.meta.com/quest/quest-3/"})
	sameJSON(t, raw, want)

	// Without a link there is nothing to preview.
	raw = sendOne(t, cloudapi.Outgoing{To: guest, Kind: "text", Body: "¡Hola! Te esperamos 😊", ReplyTo: "wamid.IN1"})
	sameJSON(t, raw, map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": guest,
		"type": "text", "text": map[string]any{"preview_url": false, "body": "¡Hola! Te esperamos 😊"},
		"context": map[string]any{"message_id": "wamid.IN1"}})
}

func TestSendButtonsMatchesFixture(t *testing.T) {
	t.Parallel()
	raw := sendOne(t, cloudapi.Outgoing{To: guest, Kind: "buttons", Body: "¿Confirmás la reserva del 1 al 4 de marzo?",
		Buttons: []cloudapi.Choice{{ID: "confirm-rsv42", Title: "Confirmar"}, {ID: "cancel-rsv42", Title: "Cancelar"}}})
	sameJSON(t, raw, decode(t, fixture(t, "send_interactive_buttons_request.json")))
}

func TestSendList(t *testing.T) {
	t.Parallel()
	raw := sendOne(t, cloudapi.Outgoing{To: guest, Kind: "list", Body: "Elegí una cabaña", ListButton: "Ver opciones",
		Rows: []cloudapi.Choice{{ID: "prop-1", Title: "Cabaña del lago", Description: "4 personas · $ 45.000 la noche"}, {ID: "prop-2", Title: "Depto centro"}}})
	sameJSON(t, raw, map[string]any{"messaging_product": "whatsapp", "recipient_type": "individual", "to": guest,
		"type": "interactive", "interactive": map[string]any{
			"type": "list", "body": map[string]any{"text": "Elegí una cabaña"},
			"action": map[string]any{"button": "Ver opciones", "sections": []any{map[string]any{
				"title": "Ver opciones",
				"rows": []any{
					map[string]any{"id": "prop-1", "title": "Cabaña del lago", "description": "4 personas · $ 45.000 la noche"},
					map[string]any{"id": "prop-2", "title": "Depto centro"},
				}}}}}})
}

// Our templates use positional body parameters only; the fixture's shape
// otherwise (name, language code, a "body" component of "text" parameters).
func TestSendTemplateMatchesFixture(t *testing.T) {
	t.Parallel()
	want := decode(t, fixture(t, "send_template_request.json"))
	tpl := want["template"].(map[string]any)
	var body map[string]any
	var params []string
	for _, c := range tpl["components"].([]any) {
		if c := c.(map[string]any); c["type"] == "body" {
			body = c
			for _, p := range c["parameters"].([]any) {
				p := p.(map[string]any)
				delete(p, "parameter_name")
				params = append(params, p["text"].(string))
			}
		}
	}
	tpl["components"] = []any{body}
	raw := sendOne(t, cloudapi.Outgoing{To: guest, Kind: "template", Template: "reservation_confirmation", Language: "en_US", Params: params})
	sameJSON(t, raw, want)
}

func TestSendTemplateParams(t *testing.T) {
	t.Parallel()
	c, g := fakeClient(t)
	if _, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "template", Template: "recordatorio",
		Params: []string{"María José", "Av. Siempre Viva 742\nPiso 3\t B", ""}}); err != nil {
		t.Fatal(err)
	}
	s := g.Sent()[0]
	eq(t, "params", s.Params, []string{"María José", "Av. Siempre Viva 742 Piso 3 B", "-"})
	if m := decode(t, s.Raw); m["template"].(map[string]any)["language"].(map[string]any)["code"] != "es_AR" {
		t.Errorf("default language: %s", s.Raw)
	}
	// Without parameters there is no components array at all.
	if _, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "template", Template: "hola", Language: "es"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := decode(t, g.Sent()[1].Raw)["template"].(map[string]any)["components"]; ok {
		t.Errorf("components without params: %s", g.Sent()[1].Raw)
	}
}

func TestSendCutsOnRuneBoundaries(t *testing.T) {
	t.Parallel()
	c, g := fakeClient(t)
	long := strings.Repeat("ñ😀", 3000) // 6000 characters, 18000 bytes
	_, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: long})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "buttons", Body: long,
		Buttons: []cloudapi.Choice{{ID: "a", Title: "Confirmá tu reserva 🏖️ ahora"}, {ID: "b", Title: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "list", Body: "x", ListButton: "Ver todas las opciones disponibles",
		Rows: []cloudapi.Choice{{ID: "r", Title: strings.Repeat("á", 30), Description: strings.Repeat("é", 100)}}})
	if err != nil {
		t.Fatal(err)
	}
	sent := g.Sent()
	check := func(what, s string, max int) {
		t.Helper()
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max || !strings.HasSuffix(s, "…") {
			t.Errorf("%s: %d characters, valid %v: %q", what, utf8.RuneCountInString(s), utf8.ValidString(s), s)
		}
	}
	check("text", sent[0].Text, 4096)
	check("interactive body", sent[1].Text, 1024)
	check("button", sent[1].Buttons[0], 20)
	check("emoji button", sent[1].Buttons[1], 20)
	check("row", sent[2].Rows[0], 24)
	in := decode(t, sent[2].Raw)["interactive"].(map[string]any)["action"].(map[string]any)
	check("list button", in["button"].(string), 20)
	check("description", in["sections"].([]any)[0].(map[string]any)["rows"].([]any)[0].(map[string]any)["description"].(string), 72)
}

func TestSendRefusesInvalidMessages(t *testing.T) {
	t.Parallel()
	c, g := fakeClient(t)
	three := []cloudapi.Choice{{ID: "1", Title: "a"}, {ID: "2", Title: "b"}, {ID: "3", Title: "c"}}
	for name, m := range map[string]cloudapi.Outgoing{
		"no recipient":     {Kind: "text", Body: "hola"},
		"letters in to":    {To: "54911abc", Kind: "text", Body: "hola"},
		"unknown kind":     {To: guest, Kind: "audio", Body: "hola"},
		"empty text":       {To: guest, Kind: "text", Body: "  "},
		"four buttons":     {To: guest, Kind: "buttons", Body: "?", Buttons: append(three, cloudapi.Choice{ID: "4", Title: "d"})},
		"no buttons":       {To: guest, Kind: "buttons", Body: "?"},
		"long button id":   {To: guest, Kind: "buttons", Body: "?", Buttons: []cloudapi.Choice{{ID: strings.Repeat("x", 257), Title: "a"}}},
		"untitled button":  {To: guest, Kind: "buttons", Body: "?", Buttons: []cloudapi.Choice{{ID: "x"}}},
		"eleven rows":      {To: guest, Kind: "list", Body: "?", ListButton: "Ver", Rows: make([]cloudapi.Choice, 11)},
		"list no label":    {To: guest, Kind: "list", Body: "?", Rows: three},
		"template no name": {To: guest, Kind: "template"},
	} {
		_, err := c.Send(context.Background(), ourNumber, m)
		if !errors.Is(err, cloudapi.ErrInvalidMessage) || cloudapi.IsRetryable(err) || cloudapi.IsAmbiguous(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.Send(context.Background(), "../1", cloudapi.Outgoing{To: guest, Kind: "text", Body: "x"}); !errors.Is(err, cloudapi.ErrInvalidMessage) {
		t.Errorf("bad phone number id: %v", err)
	}
	if n := len(g.Requests()); n != 0 {
		t.Errorf("%d requests reached the API", n)
	}
	var unset *cloudapi.Client
	if unset.Configured() || cloudapi.NewClient("", "tok", nil).Configured() || cloudapi.NewClient("http://x", "", nil).Configured() {
		t.Error("configured without a token or a base URL")
	}
	if _, err := cloudapi.NewClient("http://x", "", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{}); !errors.Is(err, cloudapi.ErrUnconfigured) {
		t.Errorf("unconfigured: %v", err)
	}
}

func TestSendBearerTokenAndPath(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var path, auth, ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		path, auth, ctype = r.Method+" "+r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		mu.Unlock()
		_, _ = w.Write(fixture(t, "send_text_response.json"))
	}))
	t.Cleanup(srv.Close)
	c := cloudapi.NewClient(srv.URL+"/", "EAAG-secret", nil)
	wamid, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if path != "POST /v25.0/"+ourNumber+"/messages" || auth != "Bearer EAAG-secret" || ctype != "application/json" {
		t.Errorf("got %q %q %q", path, auth, ctype)
	}
	if wamid != "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA" {
		t.Errorf("wamid %q", wamid)
	}

	// The fake refuses another token, and records the refusal.
	g := watest.NewGraph(t)
	g.SetToken("rotated")
	_, err = cloudapi.NewClient(g.URL, "test-token", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	var ae *cloudapi.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 401 || ae.Code != 190 || cloudapi.IsRetryable(err) {
		t.Errorf("wrong token: %v", err)
	}
	if len(g.Sent()) != 0 || len(g.Requests()) != 1 || g.Requests()[0].WAMID != "" {
		t.Errorf("sent %v, requests %v", g.Sent(), g.Requests())
	}
}

func TestSendErrorClassification(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code, status                    int
		windowClosed, retryable, sentOK bool
	}{
		{131047, 400, true, false, false},
		{130429, 429, false, true, false},
		{131056, 400, false, true, false},
		{500, 500, false, true, false},
		{131000, 400, false, true, false},
		{131016, 400, false, true, false},
		{80007, 400, false, true, false},
		{131026, 400, false, false, false},
		{131049, 400, false, false, false},
		{132001, 400, false, false, false},
		{100, 400, false, false, false},
	} {
		c, g := fakeClient(t)
		g.FailNext(1, tc.code)
		_, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
		var ae *cloudapi.APIError
		if !errors.As(err, &ae) || ae.HTTPStatus != tc.status {
			t.Errorf("%d: %v", tc.code, err)
			continue
		}
		if cloudapi.IsWindowClosed(err) != tc.windowClosed || cloudapi.IsRetryable(err) != tc.retryable || cloudapi.IsAmbiguous(err) {
			t.Errorf("%d: window %v retry %v ambiguous %v", tc.code, cloudapi.IsWindowClosed(err), cloudapi.IsRetryable(err), cloudapi.IsAmbiguous(err))
		}
		// Wrapped by a caller, still classified.
		if wrapped := fmt.Errorf("job: %w", err); cloudapi.IsWindowClosed(wrapped) != tc.windowClosed || cloudapi.IsRetryable(wrapped) != tc.retryable {
			t.Errorf("%d: wrapped error classified differently", tc.code)
		}
		// One failure only: the next send goes through.
		if _, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"}); err != nil {
			t.Errorf("%d: after the failure: %v", tc.code, err)
		}
	}
	if cloudapi.IsRetryable(nil) || cloudapi.IsAmbiguous(nil) || cloudapi.IsWindowClosed(nil) || cloudapi.IsRetryable(errors.New("x")) {
		t.Error("nil or foreign errors classified")
	}
}

// Meta's documented 131047 answer, byte for byte.
func TestSendWindowClosedFixture(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(fixture(t, "error_response_131047_sync_example.json"))
	}))
	t.Cleanup(srv.Close)
	_, err := cloudapi.NewClient(srv.URL, "t", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	var ae *cloudapi.APIError
	if !errors.As(err, &ae) {
		t.Fatal(err)
	}
	want := cloudapi.APIError{HTTPStatus: 400, Code: 131047, Message: "(#131047) Re-engagement message",
		Details:   "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
		FBTraceID: "AbCdEfGhIjK"}
	if *ae != want || !cloudapi.IsWindowClosed(err) || cloudapi.IsRetryable(err) {
		t.Errorf("got %+v", *ae)
	}
	if !strings.Contains(err.Error(), "131047") || !strings.Contains(err.Error(), "24 hours") {
		t.Errorf("message %q", err)
	}
}

func TestFakeFailTo(t *testing.T) {
	t.Parallel()
	c, g := fakeClient(t)
	g.FailTo(guest, 131047)
	ctx := context.Background()
	_, err := c.Send(ctx, ourNumber, cloudapi.Outgoing{To: guest, Kind: "buttons", Body: "?", Buttons: []cloudapi.Choice{{ID: "a", Title: "A"}}})
	if !cloudapi.IsWindowClosed(err) {
		t.Errorf("buttons: %v", err)
	}
	if _, err := c.Send(ctx, ourNumber, cloudapi.Outgoing{To: "5491100000000", Kind: "text", Body: "otro"}); err != nil {
		t.Errorf("other guest: %v", err)
	}
	if _, err := c.Send(ctx, ourNumber, cloudapi.Outgoing{To: guest, Kind: "template", Template: "hola"}); err != nil {
		t.Errorf("template: %v", err)
	}
	g.FailTo(guest, 0)
	if _, err := c.Send(ctx, ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"}); err != nil {
		t.Errorf("cleared: %v", err)
	}
	if n, m := len(g.Sent()), len(g.Requests()); n != 3 || m != 4 {
		t.Errorf("sent %d, received %d", n, m)
	}
	// FailNext queues in order, ahead of FailTo.
	g.FailNext(1, 130429)
	g.FailNext(2, 131056)
	for _, want := range []int{130429, 131056, 131056, 0} {
		_, err := c.Send(ctx, ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
		var ae *cloudapi.APIError
		if got := 0; errors.As(err, &ae) {
			got = ae.Code
			if got != want {
				t.Errorf("code %d, want %d", got, want)
			}
		} else if want != 0 || err != nil {
			t.Errorf("want %d, got %v", want, err)
		}
	}
}

func TestFakeUniqueWAMIDsConcurrently(t *testing.T) {
	t.Parallel()
	c, g := fakeClient(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: fmt.Sprint("n", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	sent := g.WaitSent(t, 20, 5*time.Second)
	wg.Wait()
	seen := map[string]bool{}
	for _, s := range sent {
		if seen[s.WAMID] || s.PhoneNumberID != ourNumber || s.To != guest || s.Type != "text" || s.At.IsZero() {
			t.Errorf("request %+v", s)
		}
		seen[s.WAMID] = true
	}
}

// A server that takes the request and never answers: Meta may have sent the
// message, so the caller must not resend blindly.
func TestSendTimeoutAfterWritingIsAmbiguous(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := cloudapi.NewClient(srv.URL, "t", nil)
	c.HTTP.Timeout = 200 * time.Millisecond
	_, err := c.Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	if err == nil || !cloudapi.IsAmbiguous(err) || cloudapi.IsRetryable(err) {
		t.Fatalf("ambiguous %v retryable %v: %v", cloudapi.IsAmbiguous(err), cloudapi.IsRetryable(err), err)
	}
}

func TestSendResetMidResponseIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"messaging_pro")
		_ = buf.Flush()
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	_, err := cloudapi.NewClient(srv.URL, "t", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	if !cloudapi.IsAmbiguous(err) || cloudapi.IsRetryable(err) {
		t.Fatalf("got %v", err)
	}
}

func TestSendAcceptedWithoutIDIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"messaging_product":"whatsapp","messages":[]}`))
	}))
	t.Cleanup(srv.Close)
	_, err := cloudapi.NewClient(srv.URL, "t", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	if !cloudapi.IsAmbiguous(err) || cloudapi.IsRetryable(err) {
		t.Fatalf("got %v", err)
	}
}

func TestSendProxyErrorPageIsRetryable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>502 Bad Gateway</html>", http.StatusBadGateway)
	}))
	t.Cleanup(srv.Close)
	_, err := cloudapi.NewClient(srv.URL, "t", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	var ae *cloudapi.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 502 || !strings.Contains(ae.Message, "Bad Gateway") || !cloudapi.IsRetryable(err) || cloudapi.IsAmbiguous(err) {
		t.Fatalf("got %v", err)
	}
}

// Nothing listens: the request never left, so sending again is safe.
func TestSendConnectionRefusedIsRetryable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	_, err = cloudapi.NewClient("http://"+addr, "t", nil).Send(context.Background(), ourNumber, cloudapi.Outgoing{To: guest, Kind: "text", Body: "hola"})
	if err == nil || !cloudapi.IsRetryable(err) || cloudapi.IsAmbiguous(err) {
		t.Fatalf("retryable %v ambiguous %v: %v", cloudapi.IsRetryable(err), cloudapi.IsAmbiguous(err), err)
	}
}
