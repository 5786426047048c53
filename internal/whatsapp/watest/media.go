package watest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// Media is a file a guest sent, as the fake serves it in Meta's two steps:
// GET /v25.0/{ID} answers {messaging_product, url, mime_type, sha256,
// file_size, id}; GET of that url, with the same bearer token, answers the
// bytes.
type Media struct {
	ID       string // digits, like Meta's media ids
	MimeType string
	Data     []byte
	// FileSize is the size the first step declares; 0: len(Data).
	FileSize int64
}

// MediaFetch is one request of either step the fake answered.
type MediaFetch struct {
	MediaID string
	Step    string // "info" or "download"
	Token   string
	Status  int
}

// mediaPath is where the fake serves downloads (Meta's are on lookaside.fbsbx.com).
const mediaPath = "/whatsapp_business/attachments/"

// AddMedia makes the fake serve m.
func (g *Graph) AddMedia(m Media) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.media[m.ID] = m
}

// MediaFetches is every media request answered, in order.
func (g *Graph) MediaFetches() []MediaFetch {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]MediaFetch(nil), g.fetches...)
}

// mediaAuth checks the bearer token as the sends do (lock held): 0 when
// accepted, otherwise the status it answered with Meta's 190 error.
func (g *Graph) mediaAuth(w http.ResponseWriter, r *http.Request) int {
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") && g.knownToken(token) {
		return 0
	}
	status, e := errorFor(190)
	writeJSON(w, status, map[string]any{"error": e})
	return status
}

// serveMedia answers the first step for a media id the fake holds; false
// leaves the path to the phone number node.
func (g *Graph) serveMedia(w http.ResponseWriter, r *http.Request, id string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, ok := g.media[id]
	if !ok {
		return false
	}
	f := MediaFetch{MediaID: id, Step: "info", Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "),
		Status: http.StatusOK}
	if status := g.mediaAuth(w, r); status != 0 {
		f.Status = status
		g.fetches = append(g.fetches, f)
		return true
	}
	g.fetches = append(g.fetches, f)
	size := m.FileSize
	if size == 0 {
		size = int64(len(m.Data))
	}
	sum := sha256.Sum256(m.Data)
	// Meta documents file_size as a string in some answers and a number in others.
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp",
		"url": g.URL + mediaPath + id + "?ext=1&hash=ATtest", "mime_type": m.MimeType,
		"sha256": hex.EncodeToString(sum[:]), "file_size": strconv.FormatInt(size, 10), "id": id})
	return true
}

// serveDownload answers the second step: the bytes, with the bearer token.
func (g *Graph) serveDownload(w http.ResponseWriter, r *http.Request, id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := MediaFetch{MediaID: id, Step: "download", Token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "),
		Status: http.StatusOK}
	m, ok := g.media[id]
	switch {
	case !ok:
		f.Status = http.StatusNotFound
		http.NotFound(w, r)
	default:
		if status := g.mediaAuth(w, r); status != 0 {
			f.Status = status
			break
		}
		w.Header().Set("Content-Type", m.MimeType)
		w.Header().Set("Content-Length", strconv.Itoa(len(m.Data)))
		_, _ = w.Write(m.Data)
	}
	g.fetches = append(g.fetches, f)
}
