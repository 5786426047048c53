// Package watest is a fake WhatsApp Cloud API for tests: an httptest server
// that accepts POST /v25.0/{phone_number_id}/messages and answers
// GET /v25.0/{phone_number_id} (the phone number node) and the two steps of
// fetching a guest's media (media.go) the way Meta does,
// and builders of the webhook bodies Meta sends us. It is apart from whatsapp
// so that tests of other packages, make soak and the bench can use it without
// linking it into the binary.
package watest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// DefaultToken is the bearer token the fake expects unless SetToken says otherwise.
const DefaultToken = "test-token"

// Request is one POST /messages the fake received, decoded.
type Request struct {
	PhoneNumberID string
	Token         string // the bearer token it came with
	To            string
	Type          string // the wire type: text, interactive, template
	Text          string // text.body, or the interactive body text
	Template      string
	Params        []string // template body parameters, in order
	Buttons       []string // reply button titles
	Rows          []string // list row titles
	Raw           []byte
	WAMID         string // empty when the fake refused the request
	At            time.Time
}

// Graph is a running fake Graph API.
type Graph struct {
	URL string

	srv     *httptest.Server
	counter atomic.Int64

	mu       sync.Mutex
	token    string
	numbers  map[string]Number // by phone number id
	lookups  []Lookup
	failures []int          // codes to answer, one per coming send
	failTo   map[string]int // recipient → code for every non-template send
	sent     []Request
	received []Request
	media    map[string]Media // by media id
	fetches  []MediaFetch
}

// Number is a phone number of a WhatsApp Business account, reachable with
// that account's access token.
type Number struct {
	ID, Token, Display, VerifiedName string
}

// Lookup is one GET of a phone number node the fake answered.
type Lookup struct {
	PhoneNumberID, Token string
	Status               int
}

// NewGraph starts a fake that lives until the test ends.
func NewGraph(t testing.TB) *Graph {
	t.Helper()
	g := &Graph{token: DefaultToken, failTo: map[string]int{}, numbers: map[string]Number{}, media: map[string]Media{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	g.URL = g.srv.URL
	t.Cleanup(g.srv.Close)
	return g
}

// SetToken changes the bearer token the fake accepts.
func (g *Graph) SetToken(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.token = token
}

// Token is the bearer token the fake accepts.
func (g *Graph) Token() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.token
}

// AddNumber registers a number of the business whose token is n.Token: the
// fake answers GET /v25.0/{n.ID} with that token only, and accepts sends
// from n.ID with it (the token set by SetToken sends from any number).
func (g *Graph) AddNumber(n Number) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.numbers[n.ID] = n
}

// Lookups is every GET of a phone number node, in order.
func (g *Graph) Lookups() []Lookup {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Lookup(nil), g.lookups...)
}

// Sent is every accepted send, in order.
func (g *Graph) Sent() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.sent...)
}

// Requests is every request received, refused ones included, in order.
func (g *Graph) Requests() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.received...)
}

// FailNext makes the next n sends answer Meta's error for code: 131047 →
// 400 re-engagement, 130429 → 429 throughput, 131056 → 400 pair rate limit,
// 500 → HTTP 500, any other code → 400 with that code. Calls queue up in order.
func (g *Graph) FailNext(n int, code int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.failures = append(g.failures, code)
	}
}

// FailTo makes every non-template send to `to` fail with code (131047
// simulates a closed 24 h window) until FailTo(to, 0).
func (g *Graph) FailTo(to string, code int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if code == 0 {
		delete(g.failTo, to)
		return
	}
	g.failTo[to] = code
}

// WaitSent polls until at least n sends were accepted and returns them all;
// the test fails if that takes longer than timeout.
func (g *Graph) WaitSent(t testing.TB, n int, timeout time.Duration) []Request {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := g.Sent()
		if len(s) >= n {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("watest: %d sends accepted after %s, want %d (received %d)", len(s), timeout, n, len(g.Requests()))
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type graphError struct {
	Message   string `json:"message"`
	Type      string `json:"type"`
	Code      int    `json:"code"`
	ErrorData *struct {
		MessagingProduct string `json:"messaging_product"`
		Details          string `json:"details"`
	} `json:"error_data,omitempty"`
	FBTraceID string `json:"fbtrace_id"`
}

// errorFor is Meta's documented answer for code: HTTP status and body.
func errorFor(code int) (int, graphError) {
	status, title, details := http.StatusBadRequest, "Injected failure", "Injected by watest."
	switch code {
	case 131047:
		title = "Re-engagement message"
		details = "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
	case 130429:
		status, title = http.StatusTooManyRequests, "Rate limit hit"
		details = "Cloud API message throughput has been reached."
	case 131056:
		title = "(Business Account, Consumer Account) pair rate limit hit"
		details = "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time."
	case 500:
		status, code, title = http.StatusInternalServerError, 131000, "Something went wrong"
		details = "Message failed to send due to an unknown error."
	case 190:
		status, title, details = http.StatusUnauthorized, "Invalid OAuth access token - Cannot parse access token", ""
	case 100:
		title, details = "Unsupported post request", ""
	}
	e := graphError{Message: fmt.Sprintf("(#%d) %s", code, title), Type: "OAuthException", Code: code, FBTraceID: "AbCdEfGhIjK"}
	if details != "" {
		e.ErrorData = &struct {
			MessagingProduct string `json:"messaging_product"`
			Details          string `json:"details"`
		}{"whatsapp", details}
	}
	return status, e
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

type wireSend struct {
	To   string `json:"to"`
	Type string `json:"type"`
	Text struct {
		Body string `json:"body"`
	} `json:"text"`
	Interactive struct {
		Body struct {
			Text string `json:"text"`
		} `json:"body"`
		Action struct {
			Buttons []struct {
				Reply struct {
					Title string `json:"title"`
				} `json:"reply"`
			} `json:"buttons"`
			Sections []struct {
				Rows []struct {
					Title string `json:"title"`
				} `json:"rows"`
			} `json:"sections"`
		} `json:"action"`
	} `json:"interactive"`
	Template struct {
		Name       string `json:"name"`
		Components []struct {
			Type       string `json:"type"`
			Parameters []struct {
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

// knownToken says whether a bearer token is one Meta issued (lock held).
func (g *Graph) knownToken(token string) bool {
	if token == g.token {
		return true
	}
	for _, n := range g.numbers {
		if n.Token == token {
			return true
		}
	}
	return false
}

// serveNumber answers GET /v25.0/{id}: the node for the token that owns the
// number, Meta's code 100 (subcode 33) for any other valid token, 190 for a
// token Meta does not know.
func (g *Graph) serveNumber(w http.ResponseWriter, r *http.Request, id string) {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	g.mu.Lock()
	defer g.mu.Unlock()
	n, ok := g.numbers[id]
	switch {
	case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") || !g.knownToken(token):
		status, e := errorFor(190)
		g.lookups = append(g.lookups, Lookup{PhoneNumberID: id, Token: token, Status: status})
		writeJSON(w, status, map[string]any{"error": e})
	case !ok || n.Token != token:
		g.lookups = append(g.lookups, Lookup{PhoneNumberID: id, Token: token, Status: http.StatusBadRequest})
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"message": fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to "+
				"missing permissions, or does not support this operation. Please read the Graph API documentation at "+
				"https://developers.facebook.com/docs/graph-api", id),
			"type": "GraphMethodException", "code": 100, "error_subcode": 33, "fbtrace_id": "AbCdEfGhIjK"}})
	default:
		g.lookups = append(g.lookups, Lookup{PhoneNumberID: id, Token: token, Status: http.StatusOK})
		writeJSON(w, http.StatusOK, map[string]any{"verified_name": n.VerifiedName, "code_verification_status": "VERIFIED",
			"display_phone_number": n.Display, "quality_rating": "GREEN", "platform_type": "CLOUD_API", "id": n.ID})
	}
}

func (g *Graph) serve(w http.ResponseWriter, r *http.Request) {
	if parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/"); r.Method == http.MethodGet && len(parts) == 2 &&
		parts[0] == "v25.0" && parts[1] != "" && strings.Trim(parts[1], "0123456789") == "" {
		if g.serveMedia(w, r, parts[1]) {
			return
		}
		g.serveNumber(w, r, parts[1])
		return
	}
	if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, mediaPath) {
		g.serveDownload(w, r, strings.TrimPrefix(r.URL.Path, mediaPath))
		return
	}
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	req := Request{Raw: raw, At: time.Now(), Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	pathOK := r.Method == http.MethodPost && len(parts) == 3 && parts[0] == "v25.0" && parts[2] == "messages" &&
		parts[1] != "" && strings.Trim(parts[1], "0123456789") == ""
	if pathOK {
		req.PhoneNumberID = parts[1]
	}
	var ws wireSend
	jsonErr := json.Unmarshal(raw, &ws)
	req.To, req.Type, req.Template = ws.To, ws.Type, ws.Template.Name
	switch ws.Type {
	case "text":
		req.Text = ws.Text.Body
	case "interactive":
		req.Text = ws.Interactive.Body.Text
		for _, b := range ws.Interactive.Action.Buttons {
			req.Buttons = append(req.Buttons, b.Reply.Title)
		}
		for _, s := range ws.Interactive.Action.Sections {
			for _, row := range s.Rows {
				req.Rows = append(req.Rows, row.Title)
			}
		}
	case "template":
		for _, c := range ws.Template.Components {
			if c.Type == "body" {
				for _, p := range c.Parameters {
					req.Params = append(req.Params, p.Text)
				}
			}
		}
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	code := 0
	switch {
	case r.Header.Get("Authorization") != "Bearer "+g.token &&
		(g.numbers[req.PhoneNumberID].Token == "" || r.Header.Get("Authorization") != "Bearer "+g.numbers[req.PhoneNumberID].Token):
		code = 190
	case !pathOK || jsonErr != nil || ws.To == "" || ws.Type == "":
		code = 100
	case len(g.failures) > 0:
		code, g.failures = g.failures[0], g.failures[1:]
	case ws.Type != "template" && g.failTo[ws.To] != 0:
		code = g.failTo[ws.To]
	}
	if code != 0 {
		g.received = append(g.received, req)
		status, e := errorFor(code)
		writeJSON(w, status, map[string]any{"error": e})
		return
	}
	req.WAMID = fmt.Sprintf("wamid.TEST%d", g.counter.Add(1))
	g.received = append(g.received, req)
	g.sent = append(g.sent, req)
	writeJSON(w, http.StatusOK, map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]string{{"input": ws.To, "wa_id": ws.To}},
		"messages":          []map[string]string{{"id": req.WAMID}},
	})
}
