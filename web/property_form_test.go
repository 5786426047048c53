package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
	"alojamientos/web/webtest"
)

// propOwner starts a server and signs its account's owner in.
func propOwner(t *testing.T) (*webtest.Server, *webtest.Session) {
	t.Helper()
	s := webtest.Start(t, webtest.Options{})
	email, password := s.User(t, "owner")
	return s, s.Login(t, email, password)
}

// propForm is a valid property form; change what a test is about.
func propForm(name string) url.Values {
	return url.Values{
		"name": {name}, "slug": {""}, "kind": {"apartment"}, "capacity": {"4"}, "included_guests": {"2"},
		"description": {"Dos ambientes con balcón."}, "location": {"San Carlos de Bariloche"},
		"amenities": {"WiFi, Calefacción\nCochera"}, "house_rules": {"No se admiten mascotas."},
		"check_in_time": {"15:00"}, "check_out_time": {"10:30"}, "base_price": {"$ 85.000,50"},
		"weekend_price": {"95.000"}, "weekend_nights": {"5", "6"}, "cleaning_fee": {"12.000"},
		"extra_guest_fee": {"5000"}, "deposit_percent": {"40"}, "min_nights": {"2"}, "hold_minutes": {"60"},
	}
}

// propCreate posts the form and returns the new property's id.
func propCreate(t *testing.T, se *webtest.Session, form url.Values) int64 {
	t.Helper()
	r := se.PostForm("/admin/properties", form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	m := regexp.MustCompile(`^/admin/properties/(\d+)/edit$`).FindStringSubmatch(r.Header.Get("Location"))
	require.NotNil(t, m, r.Header.Get("Location"))
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func propRow(t *testing.T, s *webtest.Server, id int64) dbq.Property {
	t.Helper()
	var p dbq.Property
	rows, err := db.Q(s.Pool).ListAllProperties(context.Background())
	require.NoError(t, err)
	for _, r := range rows {
		if r.ID == id {
			p = dbq.Property{ID: r.ID, AccountID: r.AccountID, Slug: r.Slug, Name: r.Name, Kind: r.Kind,
				Capacity: r.Capacity, IncludedGuests: r.IncludedGuests, ExtraGuestFee: r.ExtraGuestFee,
				Description: r.Description, Location: r.Location, Photos: r.Photos, CheckInTime: r.CheckInTime,
				CheckOutTime: r.CheckOutTime, BasePrice: r.BasePrice, WeekendPrice: r.WeekendPrice,
				WeekendNights: r.WeekendNights, CleaningFee: r.CleaningFee, DepositPercent: r.DepositPercent,
				MinNights: r.MinNights, HoldMinutes: r.HoldMinutes, Active: r.Active, Amenities: r.Amenities,
				HouseRules: r.HouseRules}
			return p
		}
	}
	t.Fatalf("property %d not found", id)
	return p
}

func propCount(t *testing.T, s *webtest.Server) int {
	t.Helper()
	return s.Count(t, "SELECT count(*) FROM properties")
}

func propAPINames(t *testing.T, s *webtest.Server) []string {
	t.Helper()
	r := s.Do(t, http.MethodGet, "/api/v1/properties", nil, nil)
	require.Equal(t, http.StatusOK, r.Status)
	var list []struct {
		Name string `json:"name"`
	}
	r.JSON(t, &list)
	names := []string{}
	for _, p := range list {
		names = append(names, p.Name)
	}
	return names
}

func TestPropertyCreateThroughTheForm(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)

	form := se.Get("/admin/properties/new")
	require.Equal(t, http.StatusOK, form.Status)
	body := string(form.Body)
	require.Contains(t, body, "Nuevo alojamiento")
	require.Contains(t, body, `name="_csrf"`)
	require.Regexp(t, `value="5" checked`, body, "Friday night is a weekend night by default")
	require.Regexp(t, `value="6" checked`, body)
	require.NotRegexp(t, `value="0" checked`, body)

	id := propCreate(t, se, propForm("Depto Centro"))
	p := propRow(t, s, id)
	require.Equal(t, s.Account.ID, p.AccountID)
	require.Equal(t, "depto-centro", p.Slug, "the slug comes from the name")
	require.Equal(t, "apartment", p.Kind)
	require.Equal(t, money.Money(8_500_050), p.BasePrice)
	require.Equal(t, money.FromUnits(95000), *p.WeekendPrice)
	require.Equal(t, []int16{5, 6}, p.WeekendNights)
	require.Equal(t, money.FromUnits(12000), p.CleaningFee)
	require.Equal(t, money.FromUnits(5000), p.ExtraGuestFee)
	require.Equal(t, []string{"WiFi", "Calefacción", "Cochera"}, p.Amenities)
	require.Equal(t, "15:00", p.CheckInTime)
	require.Equal(t, "10:30", p.CheckOutTime)
	require.Equal(t, int32(40), p.DepositPercent)
	require.Equal(t, int32(2), p.MinNights)
	require.Equal(t, int32(60), p.HoldMinutes)
	require.Equal(t, "No se admiten mascotas.", p.HouseRules)

	edit := se.Get(fmt.Sprintf("/admin/properties/%d/edit", id))
	require.Equal(t, http.StatusOK, edit.Status)
	require.Contains(t, string(edit.Body), "Creaste «Depto Centro»", "the flash message")
	require.Contains(t, string(edit.Body), `value="85.000,50"`, "prices are shown the Argentine way")

	list := se.Get("/admin/properties")
	require.Equal(t, http.StatusOK, list.Status)
	lb := string(list.Body)
	require.Contains(t, lb, "Depto Centro")
	require.Contains(t, lb, "Departamento")
	require.Contains(t, lb, "$ 85.000,50")
	require.Contains(t, lb, "2 noches")
	require.Contains(t, lb, "Activo")
	require.Contains(t, lb, fmt.Sprintf(`href="/admin/properties/%d/edit"`, id))
	require.Contains(t, lb, fmt.Sprintf(`href="/admin/properties/%d/calendar"`, id))

	require.Contains(t, propAPINames(t, s), "Depto Centro")
}

func TestPropertyFormRefusesBadFieldsAndKeepsValues(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	before := propCount(t, s)

	form := propForm("")
	form.Set("slug", "Con Mayúsculas y espacios")
	form.Set("capacity", "0")
	form.Set("base_price", "ochenta mil")
	form.Set("weekend_price", "85.00.0")
	form.Set("deposit_percent", "150")
	form.Set("min_nights", "0")
	form.Set("hold_minutes", "20000")
	form.Set("check_in_time", "25:00")
	form.Set("kind", "castillo")
	r := se.PostForm("/admin/properties", form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	body := string(r.Body)
	for _, msg := range []string{
		"Ingresá el nombre.",
		"Usá solo letras minúsculas sin acentos",
		"Ingresá una capacidad de 1 a 100 huéspedes.",
		"Ingresá un importe válido, por ejemplo 85.000 o 85.000,50.",
		"Ingresá un porcentaje de 0 a 100.",
		"Ingresá un mínimo de 1 a 365 noches.",
		"Ingresá de 1 a 10080 minutos",
		"Ingresá una hora HH:MM",
		"Elegí un tipo de alojamiento.",
	} {
		require.Contains(t, body, msg)
	}
	require.Equal(t, 2, strings.Count(body, "Ingresá un importe válido"), "base and weekend price each say so")
	require.Contains(t, body, `id="f-base_price-error"`)
	require.Regexp(t, `id="f-base_price"[^>]*aria-invalid="true"`, body)
	require.Regexp(t, `id="f-cleaning_fee"[^>]*aria-invalid="false"`, body)
	// What was typed is kept.
	for _, v := range []string{`value="Con Mayúsculas y espacios"`, `value="ochenta mil"`, `value="85.00.0"`,
		`value="150"`, `value="20000"`, `value="12.000"`, "Dos ambientes con balcón.", "Cochera"} {
		require.Contains(t, body, v)
	}
	require.Equal(t, before, propCount(t, s), "nothing written")
}

func TestPropertySlugTaken(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	taken := s.Property(t)

	form := propForm("Otra cabaña")
	form.Set("slug", taken.Slug)
	before := propCount(t, s)
	r := se.PostForm("/admin/properties", form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Esa dirección ya la usa otro alojamiento")
	require.Contains(t, string(r.Body), `value="`+taken.Slug+`"`)
	require.Equal(t, before, propCount(t, s))

	// The same on edit, and a property keeps its own slug without complaint.
	id := propCreate(t, se, propForm("Otra cabaña"))
	require.Equal(t, "otra-cabana", propRow(t, s, id).Slug)
	form.Set("slug", taken.Slug)
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d", id), form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Esa dirección ya la usa otro alojamiento")
	require.Equal(t, "otra-cabana", propRow(t, s, id).Slug)
	form.Set("slug", "otra-cabana")
	require.Equal(t, http.StatusSeeOther, se.PostForm(fmt.Sprintf("/admin/properties/%d", id), form).Status)

	// A generated slug that is taken gets a suffix instead.
	id2 := propCreate(t, se, propForm("Otra cabaña"))
	require.Equal(t, "otra-cabana-2", propRow(t, s, id2).Slug)
}

func TestPropertyEditPrices(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)

	edit := se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID))
	require.Equal(t, http.StatusOK, edit.Status)
	require.Contains(t, string(edit.Body), `value="10.000"`)
	require.Contains(t, string(edit.Body), fmt.Sprintf(`action="/admin/properties/%d"`, p.ID))

	form := propForm(p.Name)
	form.Set("slug", p.Slug)
	form.Set("base_price", "12.345,67")
	form.Set("weekend_price", "")
	form.Del("weekend_nights")
	form.Set("cleaning_fee", "")
	r := se.PostForm(fmt.Sprintf("/admin/properties/%d", p.ID), form)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, fmt.Sprintf("/admin/properties/%d/edit", p.ID), r.Header.Get("Location"))

	got := propRow(t, s, p.ID)
	require.Equal(t, money.Money(1_234_567), got.BasePrice)
	require.Nil(t, got.WeekendPrice)
	require.Empty(t, got.WeekendNights)
	require.Equal(t, money.Money(0), got.CleaningFee)

	// The booking core sees the new price at once (the cache follows the change).
	q := s.Do(t, http.MethodGet, fmt.Sprintf("/api/v1/properties/%d/quote?check_in=%s&check_out=%s&guests=2", p.ID,
		s.Today().AddDate(0, 0, 10).Format("2006-01-02"), s.Today().AddDate(0, 0, 12).Format("2006-01-02")), nil, nil)
	require.Equal(t, http.StatusOK, q.Status, string(q.Body))
	require.Contains(t, string(q.Body), `"total_price":"24691.34"`)

	page := string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID)).Body)
	require.Contains(t, page, "Guardaste los cambios")
	require.Contains(t, page, `value="12.345,67"`)
	require.NotRegexp(t, `name="weekend_nights" value="\d" checked`, page)

	// A bad price on edit changes nothing.
	form.Set("base_price", "-1")
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d", p.ID), form)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), `value="-1"`)
	require.Equal(t, money.Money(1_234_567), propRow(t, s, p.ID).BasePrice)
}

func TestPropertyDeactivateAndActivate(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	require.Contains(t, propAPINames(t, s), p.Name)

	r := se.PostForm(fmt.Sprintf("/admin/properties/%d/active", p.ID), url.Values{"active": {"false"},
		"next": {fmt.Sprintf("/admin/properties/%d/edit", p.ID)}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, fmt.Sprintf("/admin/properties/%d/edit", p.ID), r.Header.Get("Location"))
	require.False(t, propRow(t, s, p.ID).Active)
	require.NotContains(t, propAPINames(t, s), p.Name, "the public API no longer lists it")

	page := string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID)).Body)
	require.Contains(t, page, "Desactivaste «"+p.Name+"»")
	require.Contains(t, page, "Inactivo")
	require.Contains(t, page, ">Activar</button>")

	// Back to the list by default, even when next points elsewhere.
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d/active", p.ID), url.Values{"active": {"true"},
		"next": {"https://evil.example/"}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	require.Equal(t, "/admin/properties", r.Header.Get("Location"))
	require.True(t, propRow(t, s, p.ID).Active)
	require.Contains(t, propAPINames(t, s), p.Name)
	list := string(se.Get("/admin/properties").Body)
	require.Contains(t, list, "Activaste «"+p.Name+"»")
	require.Contains(t, list, ">Desactivar</button>")

	require.Equal(t, http.StatusBadRequest, se.PostForm(fmt.Sprintf("/admin/properties/%d/active", p.ID),
		url.Values{"active": {"quizás"}}).Status)
}

func TestPropertyNameIsEscaped(t *testing.T) {
	t.Parallel()
	_, se := propOwner(t)
	xss := `<script>alert(1)</script>`
	id := propCreate(t, se, propForm(xss))
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;"
	for _, path := range []string{"/admin/properties", fmt.Sprintf("/admin/properties/%d/edit", id),
		fmt.Sprintf("/admin/properties/%d/preview", id)} {
		body := string(se.Get(path).Body)
		require.NotContains(t, body, xss, path)
		require.Contains(t, body, escaped, path)
	}
}

// propPreview asks the preview as htmx does.
func propPreview(t *testing.T, s *webtest.Server, se *webtest.Session, id int64, q url.Values) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/admin/properties/%d/preview?%s", s.URL, id, q.Encode()), nil)
	require.NoError(t, err)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Accept", "text/html")
	r := se.Do(req)
	require.Equal(t, http.StatusOK, r.Status, string(r.Body))
	require.NotContains(t, string(r.Body), "<html", "htmx gets the fragment only")
	return string(r.Body)
}

func TestPropertyPreviewUsesTypedPrices(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t) // 10.000 a night, saved

	// 2027-01-04 is a Monday: two weekday nights at the typed (unsaved) price.
	typed := url.Values{"check_in": {"04/01/2027"}, "nights": {"2"}, "guests": {"3"}, "capacity": {"4"},
		"included_guests": {"2"}, "base_price": {"50.000"}, "weekend_price": {"70.000"}, "weekend_nights": {"5", "6"},
		"cleaning_fee": {"1.000"}, "extra_guest_fee": {"2.500,50"}, "deposit_percent": {"50"}, "min_nights": {"1"}}
	frag := propPreview(t, s, se, p.ID, typed)
	require.Contains(t, frag, "lun 04/01/2027")
	require.Contains(t, frag, "mar 05/01/2027")
	require.Equal(t, 2, strings.Count(frag, "$ 50.000,00"), frag)
	require.Contains(t, frag, "$ 100.000,00", "nights")
	require.Contains(t, frag, "$ 1.000,00", "cleaning")
	require.Contains(t, frag, "1 huésped extra")
	require.Contains(t, frag, "$ 5.001,00", "one extra guest for two nights")
	require.Contains(t, frag, `id="preview-total">$ 106.001,00<`)
	require.Contains(t, frag, `id="preview-deposit">$ 53.000,50<`)
	require.Equal(t, money.FromUnits(10000), propRow(t, s, p.ID).BasePrice, "nothing saved")

	// Friday and Saturday nights take the typed weekend price.
	typed.Set("check_in", "2027-01-08")
	frag = propPreview(t, s, se, p.ID, typed)
	require.Equal(t, 2, strings.Count(frag, "$ 70.000,00"), frag)
	require.Contains(t, frag, "Fin de semana")

	// A typed rule that forbids the stay says why.
	typed.Set("min_nights", "5")
	frag = propPreview(t, s, se, p.ID, typed)
	require.Contains(t, frag, "La estadía mínima para esas fechas es de 5 noches.")
	require.NotContains(t, frag, "preview-total")
	typed.Set("min_nights", "1")
	typed.Set("guests", "9")
	require.Contains(t, propPreview(t, s, se, p.ID, typed), "La capacidad máxima es de 4 huéspedes.")
	typed.Set("guests", "2")
	typed.Set("base_price", "mucho")
	require.Contains(t, propPreview(t, s, se, p.ID, typed), "Precio base: Ingresá un importe válido")

	// Without the form's fields (no JavaScript) the saved prices are used, on a page of its own.
	r := se.Get(fmt.Sprintf("/admin/properties/%d/preview?check_in=2027-01-04&nights=2&guests=2", p.ID))
	require.Equal(t, http.StatusOK, r.Status)
	require.Contains(t, string(r.Body), "<html")
	require.Contains(t, string(r.Body), "Vista previa del precio")
	require.Contains(t, string(r.Body), `id="preview-total">$ 20.000,00<`)
	require.Contains(t, string(r.Body), `value="2027-01-04"`)

	// The edit page carries the htmx wiring and a first preview.
	page := string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID)).Body)
	require.Contains(t, page, fmt.Sprintf(`hx-get="/admin/properties/%d/preview"`, p.ID))
	require.Contains(t, page, `hx-include="#pricing"`)
	require.Contains(t, page, `id="pricing"`)
	require.Contains(t, page, `id="preview-total"`)
}
