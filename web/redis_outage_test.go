package web_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

// redisSwitch is a TCP proxy to the test Redis that can be cut, as a Redis
// restart cuts every connection.
type redisSwitch struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	down  bool
}

func newRedisSwitch(t *testing.T) *redisSwitch {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rs := &redisSwitch{ln: ln}
	t.Cleanup(func() { ln.Close(); rs.cut() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			rs.mu.Lock()
			if rs.down {
				rs.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", "127.0.0.1:6379")
			if err != nil {
				rs.mu.Unlock()
				c.Close()
				continue
			}
			rs.conns = append(rs.conns, c, up)
			rs.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
	return rs
}

func (rs *redisSwitch) cut() {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.down = true
	for _, c := range rs.conns {
		c.Close()
	}
	rs.conns = nil
}

func (rs *redisSwitch) restore() {
	rs.mu.Lock()
	rs.down = false
	rs.mu.Unlock()
}

// While Redis is away a signed-in owner gets a 503 saying to retry (not a
// 500), the public pages keep working, and the session is back with Redis.
func TestRedisOutageDegradesTheDashboardAndRecovers(t *testing.T) {
	t.Parallel()
	rs := newRedisSwitch(t)
	s := webtest.Start(t, webtest.Options{Redis: true, RedisURL: "redis://" + rs.ln.Addr().String() + "/13"})
	p := s.Property(t)
	email, password := s.User(t, "owner")
	se := s.Login(t, email, password)
	require.Equal(t, http.StatusOK, se.Get("/admin/reservations").Status)

	rs.cut()
	req, err := http.NewRequest(http.MethodGet, s.URL+"/admin/reservations", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html")
	r := se.Do(req)
	require.Equal(t, http.StatusServiceUnavailable, r.Status)
	require.Contains(t, string(r.Body), "Probá de nuevo en unos segundos")
	require.Equal(t, "5", r.Header.Get("Retry-After"))
	require.Equal(t, http.StatusOK, s.Do(t, http.MethodGet, "/p/"+p.Slug, nil, nil).Status, "guests still book")

	rs.restore()
	r = se.Get("/admin/reservations")
	require.Equal(t, http.StatusOK, r.Status)
	require.True(t, strings.Contains(string(r.Body), "Reservas"))
}
