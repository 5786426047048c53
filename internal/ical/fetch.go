package ical

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Fetch limits: a feed is a small text file.
const (
	MaxFeedBytes  = 5 << 20
	FetchTimeout  = 20 * time.Second
	MaxRedirects  = 3
	userAgentBase = "Alojamientos-CalendarSync/1.0"
)

// NewHTTPClient builds the client feeds are fetched with. In production
// (guard true) connections to the addresses of the guard's table are refused
// at dial time, after DNS resolution, so a name cannot smuggle them in.
func NewHTTPClient(guard bool) *http.Client {
	if guard {
		return NewGuardedHTTPClient(CheckDialAddr)
	}
	return NewGuardedHTTPClient(nil)
}

// NewGuardedHTTPClient builds the feed client with guard run on every
// address it connects to (nil: no guard). Production uses CheckDialAddr;
// tests wrap it to let one local server through.
func NewGuardedHTTPClient(guard func(netip.AddrPort) error) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if guard != nil {
		dialer.Control = dialControl(guard)
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   FetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= MaxRedirects {
				return fmt.Errorf("ical: more than %d redirects", MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return errors.New("ical: redirect to a non-HTTP URL")
			}
			return nil
		},
	}
}

// fetchResult is one HTTP exchange with a channel.
type fetchResult struct {
	Status       int
	Body         []byte
	ETag         string
	LastModified string
}

// fetch GETs a feed conditionally.
func fetch(ctx context.Context, client *http.Client, rawURL, etag, lastModified, userAgent string) (fetchResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fetchResult{}, fmt.Errorf("ical: bad feed URL: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/calendar, text/plain;q=0.5, */*;q=0.1")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fetchResult{}, scrubURLError(err)
	}
	defer resp.Body.Close()
	res := fetchResult{Status: resp.StatusCode, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return res, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxFeedBytes+1))
	if err != nil {
		return res, scrubURLError(err)
	}
	if len(body) > MaxFeedBytes {
		return res, errTooLarge
	}
	res.Body = body
	return res, nil
}

var errTooLarge = fmt.Errorf("ical: feed larger than %d bytes", MaxFeedBytes)

// scrubURLError drops the URL (a secret) from a client error.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("ical: fetch: %w", ue.Err)
	}
	return err
}

// MaskURL shows a feed URL without its secret parts: scheme and host, then "…".
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "…"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// ownerError says in Spanish, for the dashboard, why a sync failed.
func ownerError(err error, status int) string {
	var ne net.Error
	switch {
	case err == nil && status != 0:
		return fmt.Sprintf("El canal respondió HTTP %d.", status)
	case errors.Is(err, ErrNotCalendar):
		return "El canal no devolvió un calendario (¿una página HTML o un error?)."
	case errors.Is(err, ErrTruncated):
		return "El calendario llegó cortado (sin END:VCALENDAR)."
	case errors.Is(err, errTooLarge):
		return "El calendario es demasiado grande."
	case errors.Is(err, ErrBlockedAddress):
		return "La dirección del calendario apunta a una red interna: no se consulta."
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "El canal no respondió a tiempo."
	case err != nil && strings.HasPrefix(err.Error(), "ical: line"), err != nil && strings.HasPrefix(err.Error(), "ical: event"):
		return "El calendario tiene un error de formato."
	default:
		return "No se pudo leer el calendario del canal."
	}
}

// ValidFeedURL checks a feed URL an owner typed.
func ValidFeedURL(raw string) error {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return errors.New("la URL del calendario tiene que empezar con https:// (o http://)")
	}
	return nil
}
