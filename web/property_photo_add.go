package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/media"
)

// propertyPhotoAdd stores an uploaded photo (multipart field photo) and adds
// it to the property's photos. The content decides the type, never the file
// name; anything but JPEG, PNG or WebP up to 8 MB is refused with the reason.
func (s *Server) propertyPhotoAdd(c echo.Context) error {
	p, err := s.accountProperty(c)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		page, err := s.propertyEditPage(c, p)
		if err != nil {
			return err
		}
		page.vm.Photos.Error = msg
		return s.renderEditPage(c, http.StatusUnprocessableEntity, page)
	}
	if len(p.Photos) >= maxPropertyPhotos {
		return refuse(fmt.Sprintf("Ya tiene %d fotos, el máximo: borrá alguna para subir otra.", maxPropertyPhotos))
	}
	fh, err := uploadedPhoto(c)
	if errors.Is(err, errPhotoTooBig) {
		return refuse("La foto pesa más de 8 MB. Achicala o elegí otra.")
	}
	if err != nil {
		return refuse("Elegí una foto para subir.")
	}
	if fh.Size > media.MaxPhotoBytes {
		return refuse("La foto pesa más de 8 MB. Achicala o elegí otra.")
	}
	f, err := fh.Open()
	if err != nil {
		return fmt.Errorf("web: open upload: %w", err)
	}
	defer f.Close()
	store := s.photoStore()
	name, err := store.Save(f)
	switch {
	case errors.Is(err, media.ErrType):
		return refuse("El archivo no es una foto JPEG, PNG o WebP.")
	case errors.Is(err, media.ErrTooBig):
		return refuse("La foto pesa más de 8 MB. Achicala o elegí otra.")
	case err != nil:
		return err
	}
	_, err = dbq.New(s.pool).AddPropertyPhoto(c.Request().Context(), dbq.AddPropertyPhotoParams{
		Photo: name, ID: p.ID, AccountID: p.AccountID, MaxPhotos: maxPropertyPhotos})
	if err != nil {
		if rmErr := store.Remove(name); rmErr != nil {
			s.logger(c).Error("photo left on disk", "photo", name, "error", rmErr)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			// Another upload took the last place, or the property went away.
			return refuse(fmt.Sprintf("Ya tiene %d fotos, el máximo: borrá alguna para subir otra.", maxPropertyPhotos))
		}
		return fmt.Errorf("web: add photo to %d: %w", p.ID, err)
	}
	setFlash(c, "Subiste la foto.")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(p.ID)+"#fotos")
}

var errPhotoTooBig = errors.New("web: upload too big")

// uploadedPhoto returns the photo part. The CSRF check may already have read
// the form (token in a form field); otherwise it is read here, bounded.
func uploadedPhoto(c echo.Context) (*multipart.FileHeader, error) {
	r := c.Request()
	if r.MultipartForm == nil {
		r.Body = http.MaxBytesReader(c.Response(), r.Body, media.MaxPhotoBytes+1<<20)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return nil, errPhotoTooBig
			}
			return nil, err
		}
	}
	files := r.MultipartForm.File["photo"]
	if len(files) == 0 {
		return nil, http.ErrMissingFile
	}
	return files[0], nil
}
