package auth

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"alojamientos/internal/platform"
)

// ErrSessionsUnavailable means the session store (Redis) did not answer: a
// moment's outage, answered 503 so browsers and balancers retry, not 500.
var ErrSessionsUnavailable = errors.New("session store unavailable")

// SessionCookie is the dashboard's session cookie.
const SessionCookie = "aloj_session"

// SessionTTL is how long an idle session lives; each request renews it.
const SessionTTL = 12 * time.Hour

// SessionStore is a gorilla/sessions store that keeps session data on the
// server (Redis, or process memory without it) and only a signed random id
// in the cookie, so a session can be revoked: delete it and the cookie is worthless.
type SessionStore struct {
	KV      platform.Shared
	Codecs  []securecookie.Codec
	Options sessions.Options
}

// NewSessionStore signs cookies with secret. secure marks cookies Secure
// (set when BASE_URL is https).
func NewSessionStore(kv platform.Shared, secret string, secure bool) *SessionStore {
	codec := securecookie.New([]byte(secret), nil)
	codec.MaxAge(int(SessionTTL.Seconds()))
	return &SessionStore{
		KV:     kv,
		Codecs: []securecookie.Codec{codec},
		Options: sessions.Options{Path: "/", MaxAge: int(SessionTTL.Seconds()), HttpOnly: true, Secure: secure,
			SameSite: http.SameSiteLaxMode},
	}
}

// sessionData is what a session holds; everything else (account, role) is
// read from the user's row on each request, so changes apply at once.
type sessionData struct {
	UserID   int64 `json:"uid"`
	Version  int32 `json:"ver"`
	IssuedAt int64 `json:"iat"`
}

// Session values keys.
const (
	keyUserID   = "uid"
	keyVersion  = "ver"
	keyIssuedAt = "iat"
)

// Get implements sessions.Store, caching the session for the request.
func (s *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(s, name)
}

// New implements sessions.Store: the session named by the request's cookie,
// or a new empty one.
func (s *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(s, name)
	opts := s.Options
	sess.Options = &opts
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, nil
	}
	var id string
	if err := securecookie.DecodeMulti(name, c.Value, &id, s.Codecs...); err != nil {
		return sess, nil // tampered or expired cookie: a fresh session
	}
	raw, ok, err := s.KV.GetValue(r.Context(), "session:"+id)
	if err != nil {
		return sess, fmt.Errorf("auth: load session: %w: %w", ErrSessionsUnavailable, err)
	}
	if !ok {
		return sess, nil
	}
	var d sessionData
	if err := json.Unmarshal(raw, &d); err != nil {
		return sess, nil
	}
	sess.ID = id
	sess.IsNew = false
	sess.Values[keyUserID] = d.UserID
	sess.Values[keyVersion] = d.Version
	sess.Values[keyIssuedAt] = d.IssuedAt
	return sess, nil
}

// Save implements sessions.Store. MaxAge < 0 deletes the session.
func (s *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.Options.MaxAge < 0 {
		if sess.ID != "" {
			if err := s.KV.DeleteValue(r.Context(), "session:"+sess.ID); err != nil {
				return fmt.Errorf("auth: delete session: %w", err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	if sess.ID == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("auth: session id: %w", err)
		}
		sess.ID = strings.TrimRight(base32.StdEncoding.EncodeToString(b), "=")
	}
	d := sessionData{}
	d.UserID, _ = sess.Values[keyUserID].(int64)
	d.Version, _ = sess.Values[keyVersion].(int32)
	d.IssuedAt, _ = sess.Values[keyIssuedAt].(int64)
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := s.KV.SetValue(r.Context(), "session:"+sess.ID, raw, time.Duration(sess.Options.MaxAge)*time.Second); err != nil {
		return fmt.Errorf("auth: store session: %w: %w", ErrSessionsUnavailable, err)
	}
	encoded, err := securecookie.EncodeMulti(sess.Name(), sess.ID, s.Codecs...)
	if err != nil {
		return fmt.Errorf("auth: encode session cookie: %w", err)
	}
	http.SetCookie(w, sessions.NewCookie(sess.Name(), encoded, sess.Options))
	return nil
}

// Check reports whether sessions can be stored now: nil, or an error
// wrapping ErrSessionsUnavailable.
func (s *SessionStore) Check(ctx context.Context) error {
	if err := s.KV.Ping(ctx); err != nil {
		return fmt.Errorf("auth: check session store: %w: %w", ErrSessionsUnavailable, err)
	}
	return nil
}

// StartSession replaces whatever session the request had with a new one
// (a new id at login defeats session fixation) for user at version.
func (s *SessionStore) StartSession(r *http.Request, w http.ResponseWriter, userID int64, version int32, now time.Time) error {
	if old, err := s.Get(r, SessionCookie); err == nil && !old.IsNew {
		if err := s.EndSession(r, w, old); err != nil {
			return err
		}
	}
	sess := sessions.NewSession(s, SessionCookie)
	opts := s.Options
	sess.Options = &opts
	sess.Values[keyUserID] = userID
	sess.Values[keyVersion] = version
	sess.Values[keyIssuedAt] = now.Unix()
	return s.Save(r, w, sess)
}

// EndSession deletes the session on the server and clears the cookie.
func (s *SessionStore) EndSession(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	sess.Options.MaxAge = -1
	return s.Save(r, w, sess)
}

// SessionUser returns the user id and session version a session carries.
func SessionUser(sess *sessions.Session) (int64, int32, bool) {
	uid, ok1 := sess.Values[keyUserID].(int64)
	ver, ok2 := sess.Values[keyVersion].(int32)
	return uid, ver, ok1 && ok2 && uid > 0
}
