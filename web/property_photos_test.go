package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/web/webtest"
)

func propPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 30, 20))
	for x := 0; x < 30; x++ {
		img.Set(x, x%20, color.RGBA{R: 200, G: 80, B: 20, A: 255})
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// propUpload posts a photo as the edit page's form does; csrfHeader sends the
// token as htmx would instead of as a form field.
func propUpload(t *testing.T, s *webtest.Server, se *webtest.Session, id int64, filename string, content []byte, csrfHeader bool) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if !csrfHeader {
		require.NoError(t, w.WriteField("_csrf", se.CSRF()))
	}
	part, err := w.CreateFormFile("photo", filename)
	require.NoError(t, err)
	_, err = part.Write(content)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/admin/properties/%d/photos", s.URL, id), &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", "text/html")
	if csrfHeader {
		req.Header.Set("X-CSRF-Token", se.CSRF())
	}
	return se.Do(req)
}

var propPhotoRe = regexp.MustCompile(`src="/media/([0-9a-f]{32}\.(?:jpg|png|webp))"`)

func TestPropertyPhotoUploadServeAndDelete(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)
	img := propPNG(t)

	r := propUpload(t, s, se, p.ID, "cabaña.jpg", img, false) // the name lies; the content decides
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Equal(t, fmt.Sprintf("/admin/properties/%d/edit#fotos", p.ID), r.Header.Get("Location"))
	photos := propRow(t, s, p.ID).Photos
	require.Len(t, photos, 1)
	require.Regexp(t, `^[0-9a-f]{32}\.png$`, photos[0])

	page := string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID)).Body)
	require.Contains(t, page, "Subiste la foto.")
	m := propPhotoRe.FindStringSubmatch(page)
	require.NotNil(t, m)
	require.Equal(t, photos[0], m[1])
	require.Regexp(t, `<img src="/media/`+photos[0]+`" width="\d+" height="\d+" loading="lazy" alt="Foto 1 de `+p.Name+`"`, page)

	// Served to anyone, cached forever, with the sniffed type.
	got := s.Do(t, http.MethodGet, "/media/"+photos[0], nil, nil)
	require.Equal(t, http.StatusOK, got.Status)
	require.Equal(t, "image/png", got.Header.Get("Content-Type"))
	require.Equal(t, "public, max-age=31536000, immutable", got.Header.Get("Cache-Control"))
	require.Equal(t, "nosniff", got.Header.Get("X-Content-Type-Options"))
	require.Equal(t, img, got.Body)

	// The same through the htmx path (token in a header, form read by the handler).
	r = propUpload(t, s, se, p.ID, "foto.png", img, true)
	require.Equal(t, http.StatusSeeOther, r.Status, string(r.Body))
	require.Len(t, propRow(t, s, p.ID).Photos, 2)

	// Delete: gone from the property and from the disk.
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d/photos/delete", p.ID), url.Values{"photo": {photos[0]}})
	require.Equal(t, http.StatusSeeOther, r.Status)
	after := propRow(t, s, p.ID).Photos
	require.Len(t, after, 1)
	require.NotContains(t, after, photos[0])
	require.Equal(t, http.StatusNotFound, s.Do(t, http.MethodGet, "/media/"+photos[0], nil, nil).Status)
	require.Contains(t, string(se.Get(fmt.Sprintf("/admin/properties/%d/edit", p.ID)).Body), "Borraste la foto.")
	// Deleting it again, or a name the property does not have, is a 404.
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("/admin/properties/%d/photos/delete", p.ID),
		url.Values{"photo": {photos[0]}}).Status)
	require.Equal(t, http.StatusNotFound, se.PostForm(fmt.Sprintf("/admin/properties/%d/photos/delete", p.ID),
		url.Values{"photo": {"../../etc/passwd"}}).Status)
}

func TestPropertyPhotoRefusals(t *testing.T) {
	t.Parallel()
	s, se := propOwner(t)
	p := s.Property(t)

	r := propUpload(t, s, se, p.ID, "foto.jpg", []byte("esto es un texto, no una foto\n"), false)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "El archivo no es una foto JPEG, PNG o WebP.")
	require.Regexp(t, `id="f-photo"[^>]*aria-invalid="true"`, string(r.Body))

	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	r = propUpload(t, s, se, p.ID, "foto.png", gif, false)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "El archivo no es una foto JPEG, PNG o WebP.")

	big := append(propPNG(t), make([]byte, 8<<20)...)
	r = propUpload(t, s, se, p.ID, "grande.png", big, false)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "La foto pesa más de 8 MB.")

	// With the token in a header the handler reads the body itself, bounded.
	huge := append(propPNG(t), make([]byte, 10<<20)...)
	r = propUpload(t, s, se, p.ID, "enorme.png", huge, true)
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "La foto pesa más de 8 MB.")

	// No file at all.
	r = se.PostForm(fmt.Sprintf("/admin/properties/%d/photos", p.ID), url.Values{})
	require.Equal(t, http.StatusUnprocessableEntity, r.Status)
	require.Contains(t, string(r.Body), "Elegí una foto para subir.")

	require.Empty(t, propRow(t, s, p.ID).Photos, "nothing stored")
}

func TestMediaRefusesUnknownNamesAndTraversal(t *testing.T) {
	t.Parallel()
	s := webtest.Start(t, webtest.Options{})
	for _, path := range []string{
		"/media/0123456789abcdef0123456789abcdef.png", // well formed, unknown
		"/media/..%2f..%2f..%2fetc%2fpasswd",
		"/media/..%2Fphotos%2F0123456789abcdef0123456789abcdef.png",
		"/media/%2e%2e",
		"/media/../../etc/passwd",
		"/media/passwd",
		"/media/0123456789abcdef0123456789abcdef.svg",
		"/media/0123456789ABCDEF0123456789ABCDEF.png",
		"/media/0123456789abcdef0123456789abcdef.png%00.txt",
	} {
		req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
		require.NoError(t, err)
		resp, err := s.Client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
}
