package cloudapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MediaTimeout bounds fetching one media file, both steps together.
const MediaTimeout = time.Minute

// ErrMediaTooBig is a media file over the caller's limit: by the size Meta
// declares (nothing is downloaded) or by the bytes that came.
var ErrMediaTooBig = errors.New("whatsapp: media file too big")

// MediaInfo is Graph's answer to GET /{version}/{media-id}: a short-lived
// download URL (about five minutes) and what Meta says about the file.
type MediaInfo struct {
	ID       string
	URL      string
	MimeType string
	SHA256   string
	FileSize int64
}

// Media asks GET {base}/v25.0/{mediaID} with the client's token, the first
// of the two documented steps to fetch a file a guest sent.
func (c *Client) Media(ctx context.Context, mediaID string) (MediaInfo, error) {
	if !c.Configured() {
		return MediaInfo{}, ErrUnconfigured
	}
	if mediaID == "" || strings.Trim(mediaID, "0123456789") != "" {
		return MediaInfo{}, fmt.Errorf("whatsapp: media: bad id %q", mediaID)
	}
	ctx, cancel := context.WithTimeout(ctx, MediaTimeout)
	defer cancel()
	resp, err := c.get(ctx, c.BaseURL+"/"+APIVersion+"/"+url.PathEscape(mediaID), 15*time.Second)
	if err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: %w", mediaID, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: read answer: %w", mediaID, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return MediaInfo{}, apiError(resp.StatusCode, raw)
	}
	var w struct {
		ID       flexString `json:"id"`
		URL      string     `json:"url"`
		MimeType string     `json:"mime_type"`
		SHA256   string     `json:"sha256"`
		FileSize flexString `json:"file_size"`
	}
	if err := json.Unmarshal(raw, &w); err != nil || w.URL == "" {
		return MediaInfo{}, fmt.Errorf("whatsapp: media %s: answer %.200s without a url", mediaID, raw)
	}
	size, _ := strconv.ParseInt(string(w.FileSize), 10, 64)
	return MediaInfo{ID: string(w.ID), URL: w.URL, MimeType: w.MimeType, SHA256: w.SHA256, FileSize: size}, nil
}

// Download fetches info's file (the second step: GET its URL with the same
// bearer token), at most maxBytes: a file Meta declares bigger is not
// downloaded, and a body that runs over is cut off, both ErrMediaTooBig. The
// token goes only to the Graph API's own host or to Meta's media hosts over
// HTTPS, never to another address an answer might name.
func (c *Client) Download(ctx context.Context, info MediaInfo, maxBytes int64) ([]byte, error) {
	if !c.Configured() {
		return nil, ErrUnconfigured
	}
	if info.FileSize > maxBytes {
		return nil, ErrMediaTooBig
	}
	if !c.mediaHost(info.URL) {
		return nil, fmt.Errorf("whatsapp: media %s: download address not Meta's: %.100s", info.ID, info.URL)
	}
	ctx, cancel := context.WithTimeout(ctx, MediaTimeout)
	defer cancel()
	resp, err := c.get(ctx, info.URL, MediaTimeout)
	if err != nil {
		return nil, fmt.Errorf("whatsapp: download media %s: %w", info.ID, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		return nil, apiError(resp.StatusCode, raw)
	}
	if resp.ContentLength > maxBytes {
		return nil, ErrMediaTooBig
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("whatsapp: download media %s: %w", info.ID, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, ErrMediaTooBig
	}
	return data, nil
}

// mediaHosts are the domains Meta serves media downloads from
// (lookaside.fbsbx.com in the documentation's examples).
var mediaHosts = []string{".fbsbx.com", ".facebook.com", ".fbcdn.net", ".whatsapp.net"}

// mediaHost reports whether the bearer token may be sent to raw: the Graph
// API's own scheme and host (the configured base URL, a fake in tests), or
// HTTPS to one of Meta's media domains.
func (c *Client) mediaHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	if base, err := url.Parse(c.BaseURL); err == nil && base.Scheme == u.Scheme && base.Host == u.Host {
		return true
	}
	if u.Scheme != "https" {
		return false
	}
	host := "." + strings.ToLower(u.Hostname())
	for _, d := range mediaHosts {
		if strings.HasSuffix(host, d) {
			return true
		}
	}
	return false
}

// get sends an authenticated GET with the client's token.
func (c *Client) get(ctx context.Context, endpoint string, timeout time.Duration) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	hc := http.Client{Timeout: timeout}
	if c.HTTP != nil {
		hc = *c.HTTP
		hc.Timeout = max(hc.Timeout, timeout)
	}
	return hc.Do(req)
}
