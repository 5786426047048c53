package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/internal/auth"
	"alojamientos/web/webtest"
)

func userID(t *testing.T, s *webtest.Server, email string) int64 {
	t.Helper()
	u, err := db.Q(s.Pool).GetUserByEmail(context.Background(), email)
	require.NoError(t, err)
	return u.ID
}

func TestUserListShowsTheAccountsUsers(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	s.Clock.Set(time.Date(2027, 3, 9, 2, 30, 0, 0, time.UTC)) // 08/03/2027 23:30 in Buenos Aires
	ownerEmail, password := s.User(t, "owner")
	staffEmail, _ := s.User(t, "staff")
	_, strangerEmail, _ := s.OtherAccount(t)
	se := s.Login(t, ownerEmail, password)

	r := se.Get("/admin/users")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "<h1>Usuarios</h1>")
	require.Contains(t, body, ownerEmail)
	require.Contains(t, body, staffEmail)
	require.Contains(t, body, "Usuario owner")
	require.Contains(t, body, "<td>Dueño</td>")
	require.Contains(t, body, "<td>Personal</td>")
	require.Contains(t, body, "08/03/2027 23:30", "last login in the account's timezone")
	require.Contains(t, body, "Nunca", "the staff user never signed in")
	require.NotContains(t, body, strangerEmail, "another account's users stay out")
	require.Contains(t, body, `href="/admin/users" aria-current="page"`)
	require.Contains(t, body, `action="/admin/users"`)
	require.Contains(t, body, `name="_csrf" value="`+se.CSRF()+`"`)

	staff := s.Login(t, staffEmail, "clave-de-prueba-123")
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/users").Status)
	require.NotContains(t, string(staff.Get("/admin/account").Body), `href="/admin/users"`)
}

var tempPasswordRe = regexp.MustCompile(`<code id="temp-password">([^<]+)</code>`)

func TestUserCreateShowsTheTemporaryPasswordOnce(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ownerEmail, password := s.User(t, "owner")
	se := s.Login(t, ownerEmail, password)

	r := se.PostForm("/admin/users", url.Values{"name": {"Rosa Benítez"}, "email": {" Rosa@Example.com "}, "role": {"staff"}})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "Usuario creado")
	require.Contains(t, body, "Rosa Benítez (rosa@example.com)")
	require.Contains(t, body, "<strong>Personal</strong>")
	require.Contains(t, body, "única vez")
	require.Contains(t, body, "Compartila")
	require.Contains(t, body, "cambie la primera vez que entre")
	m := tempPasswordRe.FindStringSubmatch(body)
	require.NotNil(t, m, body)
	temp := m[1]
	require.GreaterOrEqual(t, len(temp), 12)
	require.Equal(t, "no-store", r.Header.Get("Cache-Control"))
	for _, c := range r.Header.Values("Set-Cookie") {
		require.NotContains(t, c, temp, "never in a cookie")
	}

	// The password works, and is shown nowhere else.
	rosa := s.Login(t, "rosa@example.com", temp)
	require.Contains(t, string(rosa.Get("/admin/account").Body), "rosa@example.com")
	list := string(se.Get("/admin/users").Body)
	require.Contains(t, list, "rosa@example.com")
	require.NotContains(t, list, temp)
	u, err := db.Q(s.Pool).GetUserByEmail(context.Background(), "rosa@example.com")
	require.NoError(t, err)
	require.Equal(t, s.Account.ID, u.AccountID)
	require.Equal(t, "staff", u.Role)
	require.NotContains(t, u.PasswordHash, temp)

	// Two invitations never share a password.
	r = se.PostForm("/admin/users", url.Values{"name": {"Tito"}, "email": {"tito@example.com"}, "role": {"owner"}})
	require.Equal(t, http.StatusCreated, r.Status)
	require.Contains(t, string(r.Body), "<strong>Dueño</strong>")
	require.NotEqual(t, temp, tempPasswordRe.FindStringSubmatch(string(r.Body))[1])
}

func TestUserCreateRefusalsKeepTheForm(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ownerEmail, password := s.User(t, "owner")
	staffEmail, _ := s.User(t, "staff")
	_, strangerEmail, _ := s.OtherAccount(t)
	se := s.Login(t, ownerEmail, password)
	count := func() int { return s.Count(t, "SELECT count(*) FROM users") }
	before := count()

	for _, tc := range []struct {
		name, form, field, msg string
		values                 url.Values
	}{
		{name: "invalid email", field: "user-email", msg: "Escribí un email válido",
			values: url.Values{"name": {"Rosa"}, "email": {"rosa-en-example.com"}, "role": {"staff"}}},
		{name: "email with a display name", field: "user-email", msg: "Escribí un email válido",
			values: url.Values{"name": {"Rosa"}, "email": {"Rosa <rosa@example.com>"}, "role": {"staff"}}},
		{name: "duplicate email in this account", field: "user-email", msg: "Ese email ya tiene un usuario",
			values: url.Values{"name": {"Rosa"}, "email": {strings.ToUpper(staffEmail)}, "role": {"staff"}}},
		{name: "duplicate email in another account", field: "user-email", msg: "Ese email ya tiene un usuario",
			values: url.Values{"name": {"Rosa"}, "email": {strangerEmail}, "role": {"staff"}}},
		{name: "no name", field: "user-name", msg: "Escribí el nombre.",
			values: url.Values{"name": {"  "}, "email": {"rosa@example.com"}, "role": {"staff"}}},
		{name: "unknown role", field: "user-role", msg: "Elegí Dueño o Personal.",
			values: url.Values{"name": {"Rosa"}, "email": {"rosa@example.com"}, "role": {"admin"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := se.PostForm("/admin/users", tc.values)
			require.Equal(t, http.StatusUnprocessableEntity, r.Status)
			body := string(r.Body)
			require.Contains(t, body, `<p class="field-error" id="`+tc.field+`-error">`+tc.msg)
			require.Contains(t, body, `aria-describedby="`+tc.field+`-error"`)
			require.Contains(t, body, `aria-invalid="true"`)
			if name := strings.TrimSpace(tc.values.Get("name")); name != "" {
				require.Contains(t, body, `value="`+name+`"`, "the name typed is kept")
			}
			require.Contains(t, body, `value="`+templEscape(strings.TrimSpace(tc.values.Get("email")))+`"`, "the email typed is kept")
			require.Contains(t, body, "<h1>Usuarios</h1>", "the whole page, with the list")
			require.NotContains(t, body, "temp-password")
		})
	}
	require.Equal(t, before, count(), "nothing created")
}

// templEscape escapes like templ does in attribute values.
func templEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestUserRoleChangeAndRemoval(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	ownerEmail, password := s.User(t, "owner")
	staffEmail, staffPassword := s.User(t, "staff")
	_, strangerEmail, _ := s.OtherAccount(t)
	owner := s.Login(t, ownerEmail, password)
	staff := s.Login(t, staffEmail, staffPassword)
	ownerID, staffID, strangerID := userID(t, s, ownerEmail), userID(t, s, staffEmail), userID(t, s, strangerEmail)
	role := func(email string) string {
		u, err := db.Q(s.Pool).GetUserByEmail(context.Background(), email)
		require.NoError(t, err)
		return u.Role
	}

	// The only owner cannot step down, nor remove themselves.
	r := owner.PostForm("/admin/users/"+strconv.FormatInt(ownerID, 10)+"/role", url.Values{"role": {"staff"}})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "La cuenta necesita al menos un dueño.")
	require.Equal(t, "owner", role(ownerEmail))
	r = owner.PostForm("/admin/users/"+strconv.FormatInt(ownerID, 10)+"/delete", nil)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "No podés quitarte el acceso a vos mismo.")

	// Another account's user is not found, and untouched.
	for _, path := range []string{"/role", "/delete"} {
		r = owner.PostForm("/admin/users/"+strconv.FormatInt(strangerID, 10)+path, url.Values{"role": {"staff"}})
		require.Equal(t, http.StatusNotFound, r.Status, path)
	}
	require.Equal(t, http.StatusNotFound, owner.PostForm("/admin/users/abc/role", url.Values{"role": {"owner"}}).Status)
	require.Equal(t, "owner", role(strangerEmail))

	// Promotion applies to the staff member's open session at once.
	require.Equal(t, http.StatusForbidden, staff.Get("/admin/users").Status)
	r = owner.PostForm("/admin/users/"+strconv.FormatInt(staffID, 10)+"/role", url.Values{"role": {"owner"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, "/admin/users", r.Header.Get("Location"))
	require.Contains(t, string(owner.Get("/admin/users").Body), "Rol cambiado a Dueño.")
	require.Equal(t, http.StatusOK, staff.Get("/admin/users").Status)

	// With two owners, one may step down; the users page closes to them.
	r = owner.PostForm("/admin/users/"+strconv.FormatInt(ownerID, 10)+"/role", url.Values{"role": {"staff"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, "/admin/account", r.Header.Get("Location"))
	require.Equal(t, http.StatusForbidden, owner.Get("/admin/users").Status)
	require.Contains(t, string(owner.Get("/admin/account").Body), "<dd>Personal</dd>")

	// The new owner removes the old one, whose session ends on its next request.
	r = staff.PostForm("/admin/users/"+strconv.FormatInt(ownerID, 10)+"/delete", nil)
	require.Equal(t, http.StatusSeeOther, r.Status)
	r = owner.Get("/admin/account")
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"))
	require.NotContains(t, string(staff.Get("/admin/users").Body), ownerEmail)
	_, ok, err := auth.Authenticate(context.Background(), s.Pool, ownerEmail, password)
	require.NoError(t, err)
	require.False(t, ok, "a removed user cannot sign in")
}

func TestAccountPageShowsTheUser(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "staff")
	se := s.Login(t, email, password)
	r := se.Get("/admin/account")
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	body := string(r.Body)
	require.Contains(t, body, "<h1>Mi cuenta</h1>")
	require.Contains(t, body, "<dd>Usuario staff</dd>")
	require.Contains(t, body, "<dd>"+email+"</dd>")
	require.Contains(t, body, "<dd>Personal</dd>")
	require.Contains(t, body, "<dd>"+s.Account.Name+"</dd>")
	require.Contains(t, body, `action="/admin/account/password"`)
	for _, name := range []string{"current", "new", "repeat"} {
		require.Contains(t, body, `name="`+name+`" type="password"`)
	}
	require.Contains(t, body, "Usá al menos 10 caracteres.")
}

func TestPasswordChangeRefusals(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	se := s.Login(t, email, password)
	hash := func() string {
		u, err := db.Q(s.Pool).GetUserByEmail(context.Background(), email)
		require.NoError(t, err)
		return u.PasswordHash
	}
	before := hash()
	for _, tc := range []struct {
		name, current, next, repeat, field, msg string
	}{
		{"wrong current", "no-es-la-clave", "una-clave-nueva", "una-clave-nueva", "password-current", "La contraseña actual no es correcta."},
		{"no current", "", "una-clave-nueva", "una-clave-nueva", "password-current", "Escribí tu contraseña actual."},
		{"too short", password, "corta-123", "corta-123", "password-new", "Usá al menos 10 caracteres."},
		{"mismatch", password, "una-clave-nueva", "una-clave-nuevo", "password-repeat", "Las dos contraseñas nuevas no coinciden."},
		{"same as before", password, password, password, "password-new", "Elegí una contraseña distinta de la actual."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := se.PostForm("/admin/account/password", url.Values{"current": {tc.current}, "new": {tc.next}, "repeat": {tc.repeat}})
			require.Equal(t, http.StatusUnprocessableEntity, r.Status)
			body := string(r.Body)
			require.Contains(t, body, `<p class="field-error" id="`+tc.field+`-error">`+tc.msg+`</p>`)
			require.Contains(t, body, `aria-describedby="`+tc.field+`-error"`)
			for _, p := range []string{tc.current, tc.next, tc.repeat} {
				if p != "" {
					require.NotContains(t, body, p, "passwords are never echoed back")
				}
			}
		})
	}
	require.Equal(t, before, hash(), "nothing changed")
	require.Equal(t, http.StatusOK, se.Get("/admin/account").Status, "still signed in")
}

func TestPasswordChangeKeepsThisBrowserAndSignsOutTheOthers(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	here := s.Login(t, email, password)
	phone := s.Login(t, email, password)
	u, _ := url.Parse(s.URL)
	oldCookie := ""
	for _, c := range here.Client.Jar.Cookies(u) {
		if c.Name == "aloj_session" {
			oldCookie = c.Value
		}
	}

	r := here.PostForm("/admin/account/password", url.Values{"current": {password}, "new": {"una-clave-nueva"},
		"repeat": {"una-clave-nueva"}})
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, "/admin/account", r.Header.Get("Location"))

	page := here.Get("/admin/account")
	require.Equal(t, http.StatusOK, page.Status, "this browser stays signed in")
	require.Contains(t, string(page.Body), "Contraseña cambiada. Cerramos las otras sesiones.")

	r = phone.Get("/admin/account")
	require.Equal(t, http.StatusSeeOther, r.Status, "every other session is revoked")
	require.True(t, strings.HasPrefix(r.Header.Get("Location"), "/login"))

	stolen := s.NewSession(t)
	stolen.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "aloj_session", Value: oldCookie, Path: "/"}})
	require.Equal(t, http.StatusSeeOther, stolen.Get("/admin/account").Status, "this browser's old session id is dead too")

	bad := s.NewSession(t).PostForm("/login", url.Values{"email": {email}, "password": {password}})
	require.Equal(t, http.StatusUnauthorized, bad.Status)
	s.Login(t, email, "una-clave-nueva")
}

func TestPasswordChangeThrottled(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "staff")
	se := s.Login(t, email, password)
	for i := 0; i < 10; i++ {
		r := se.PostForm("/admin/account/password", url.Values{"current": {"adivinanza-" + strconv.Itoa(i)},
			"new": {"una-clave-nueva"}, "repeat": {"una-clave-nueva"}})
		require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	}
	r := se.PostForm("/admin/account/password", url.Values{"current": {password}, "new": {"una-clave-nueva"},
		"repeat": {"una-clave-nueva"}})
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	require.Contains(t, string(r.Body), "Demasiados intentos. Esperá 15 minutos")
	require.NotEmpty(t, r.Header.Get("Retry-After"))

	s.Clock.Advance(16 * time.Minute)
	r = se.PostForm("/admin/account/password", url.Values{"current": {password}, "new": {"una-clave-nueva"},
		"repeat": {"una-clave-nueva"}})
	require.Equal(t, http.StatusSeeOther, r.Status, "the window passes")
}
