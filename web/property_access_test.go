package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/internal/money"
)

func TestPropertyStaffSeesTheListOnly(t *testing.T) {
	t.Parallel()
	s, _ := propOwner(t)
	p := s.Property(t)
	email, password := s.User(t, "staff")
	staff := s.Login(t, email, password)

	list := staff.Get("/admin/properties")
	require.Equal(t, http.StatusOK, list.Status)
	body := string(list.Body)
	require.Contains(t, body, p.Name)
	require.Contains(t, body, fmt.Sprintf(`href="/admin/properties/%d/calendar"`, p.ID), "staff may open the calendar")
	require.NotContains(t, body, "/edit")
	require.NotContains(t, body, "/admin/properties/new")
	require.NotContains(t, body, "Desactivar")

	base := fmt.Sprintf("/admin/properties/%d", p.ID)
	for _, path := range []string{"/admin/properties/new", base + "/edit", base + "/preview"} {
		r := staff.Get(path)
		require.Equal(t, http.StatusForbidden, r.Status, path)
	}
	for _, path := range []string{"/admin/properties", base, base + "/active", base + "/photos",
		base + "/photos/delete", base + "/seasons", base + "/seasons/1", base + "/seasons/1/delete"} {
		r := staff.PostForm(path, propForm("Cambiada por staff"))
		require.Equal(t, http.StatusForbidden, r.Status, path)
	}
	got := propRow(t, s, p.ID)
	require.Equal(t, p.Name, got.Name)
	require.True(t, got.Active)
}

func TestPropertyOtherAccountIsNotFound(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	// A property of this account, with a season and a photo to aim at.
	id := propCreate(t, se, propForm("Mía"))
	require.Equal(t, http.StatusSeeOther, se.PostForm(fmt.Sprintf("/admin/properties/%d/seasons", id), url.Values{
		"name": {"Verano"}, "starts_on": {"01/01/2027"}, "ends_on": {"31/01/2027"}, "nightly_price": {"1"}}).Status)
	require.Equal(t, http.StatusSeeOther, propUpload(t, s, se, id, "a.png", propPNG(t), false).Status)
	sid := propSeasons(t, s, id)[0].ID
	photo := propRow(t, s, id).Photos[0]

	_, email, password := s.OtherAccount(t)
	other := s.Login(t, email, password)
	base := fmt.Sprintf("/admin/properties/%d", id)
	for _, path := range []string{base + "/edit", base + "/preview", base + "/preview?base_price=1"} {
		r := other.Get(path)
		require.Equal(t, http.StatusNotFound, r.Status, path)
		require.NotContains(t, string(r.Body), "Mía", path)
	}
	posts := map[string]url.Values{
		base:                                    propForm("Robada"),
		base + "/active":                        {"active": {"false"}},
		base + "/photos/delete":                 {"photo": {photo}},
		base + "/seasons":                       {"name": {"X"}, "starts_on": {"01/02/2027"}, "ends_on": {"02/02/2027"}, "nightly_price": {"1"}},
		fmt.Sprintf("%s/seasons/%d", base, sid): {"name": {"X"}, "starts_on": {"01/02/2027"}, "ends_on": {"02/02/2027"}, "nightly_price": {"1"}},
		fmt.Sprintf("%s/seasons/%d/delete", base, sid): nil,
	}
	for path, form := range posts {
		r := other.PostForm(path, form)
		require.Equal(t, http.StatusNotFound, r.Status, path)
	}
	r := propUpload(t, s, other, id, "b.png", propPNG(t), false)
	require.Equal(t, http.StatusNotFound, r.Status)
	// Invalid input for another account's property is still a 404, not a validation answer.
	r = other.PostForm(base, url.Values{"name": {""}})
	require.Equal(t, http.StatusNotFound, r.Status)

	got := propRow(t, s, id)
	require.Equal(t, "Mía", got.Name)
	require.True(t, got.Active)
	require.Equal(t, []string{photo}, got.Photos)
	ss := propSeasons(t, s, id)
	require.Len(t, ss, 1)
	require.Equal(t, "Verano", ss[0].Name)
	require.Equal(t, http.StatusOK, s.Do(t, http.MethodGet, "/media/"+photo, nil, nil).Status)

	// The other owner's list does not show it either.
	require.NotContains(t, string(other.Get("/admin/properties").Body), "Mía")
	// Non-numeric ids are not found either.
	require.Equal(t, http.StatusNotFound, se.Get("/admin/properties/abc/edit").Status)
	require.Equal(t, http.StatusNotFound, se.Get("/admin/properties/-1/edit").Status)
}

func TestPropertyWritesNeedTheCSRFToken(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	base := fmt.Sprintf("/admin/properties/%d", p.ID)
	before := propCount(t, s)

	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF("/admin/properties", propForm("Sin token")).Status)
	require.Equal(t, before, propCount(t, s))

	form := propForm("Cambiada sin token")
	form.Set("base_price", "1")
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF(base, form).Status)
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF(base+"/active", url.Values{"active": {"false"}}).Status)
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF(base+"/seasons", url.Values{"name": {"X"},
		"starts_on": {"01/02/2027"}, "ends_on": {"02/02/2027"}, "nightly_price": {"1"}}).Status)
	require.Equal(t, http.StatusForbidden, se.PostFormNoCSRF(base, url.Values{"_csrf": {"falso"}, "name": {"X"}}).Status)

	got := propRow(t, s, p.ID)
	require.Equal(t, p.Name, got.Name)
	require.Equal(t, money.FromUnits(10000), got.BasePrice)
	require.True(t, got.Active)
	ss, err := db.Q(s.Pool).ListSeasons(context.Background(), p.ID)
	require.NoError(t, err)
	require.Empty(t, ss)
	require.True(t, strings.HasPrefix(p.Slug, "propiedad-"))
}
