package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/web/webtest"
)

func TestReservationOfAnotherAccountIsNotFound(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	mine := rvHold(t, s, p.ID, 3, 5, rvGuest{Name: "Solo Mía"})
	otherAccount, email, password := s.OtherAccount(t)
	theirProperty := s.Property(t, func(pp *dbq.CreatePropertyParams) { pp.AccountID = otherAccount })
	theirs := rvHold(t, s, theirProperty.ID, 3, 5, rvGuest{Name: "De Ellos"})
	intruder := s.Login(t, email, password)
	base := "/admin/reservations/" + mine.Code

	require.Equal(t, http.StatusNotFound, intruder.Get(base).Status)
	for action, form := range map[string]url.Values{
		"confirm": nil, "cancel": {"reason": {"x"}}, "check-in": nil, "complete": nil, "no-show": nil,
		"guest":    {"guest_name": {"Intruso"}, "guest_phone": {"+5491155551234"}, "guests": {"1"}},
		"dates":    {"property_id": {rvID(p.ID)}, "check_in": {booking.FormatDate(rvDay(s, 9))}, "check_out": {booking.FormatDate(rvDay(s, 11))}},
		"payments": {"amount": {"100"}, "method": {"cash"}},
	} {
		r := intruder.PostForm(base+"/"+action, form)
		require.Equal(t, http.StatusNotFound, r.Status, action)
		require.NotContains(t, string(r.Body), "Solo Mía")
	}
	got := rvStored(t, s, mine.Code)
	require.Equal(t, booking.StatusPreReserved, got.Status)
	require.Equal(t, "Solo Mía", got.GuestName)
	require.Equal(t, rvDay(s, 3), got.CheckIn)
	require.Zero(t, got.Paid)

	list := intruder.Get("/admin/reservations?q=" + mine.Code)
	require.Empty(t, rvCodes(t, list))
	require.Equal(t, []string{theirs.Code}, rvCodes(t, intruder.Get("/admin/reservations")))
	_, records := rvCSV(t, intruder, "")
	require.Len(t, records, 2)
	require.Equal(t, theirs.Code, records[1][0])
	// Our property does not show up in their filter either.
	require.NotContains(t, string(intruder.Get("/admin/reservations").Body), p.Name)

	// And ours never lists theirs.
	se := rvLogin(t, s, "owner")
	require.Equal(t, []string{mine.Code}, rvCodes(t, se.Get("/admin/reservations")))
	require.Equal(t, http.StatusNotFound, se.Get("/admin/reservations/"+theirs.Code).Status)
}

func TestReservationPagesNeedASignedInUser(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	p := s.Property(t)
	r := rvHold(t, s, p.ID, 3, 5, rvGuest{})
	anon := s.NewSession(t)
	for _, path := range []string{"/admin/reservations", "/admin/reservations.csv", "/admin/reservations/" + r.Code} {
		res := anon.Get(path)
		require.Equal(t, http.StatusSeeOther, res.Status, path)
		require.Contains(t, res.Header.Get("Location"), "/login")
	}
	require.Equal(t, http.StatusSeeOther, anon.PostForm("/admin/reservations/"+r.Code+"/confirm", nil).Status)
	require.Equal(t, booking.StatusPreReserved, rvStored(t, s, r.Code).Status)
}
