package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/media"
)

// propertyPhotoDelete removes a photo (form field photo, its stored name)
// from the property and from the disk.
func (s *Server) propertyPhotoDelete(c echo.Context) error {
	id, err := propertyParamID(c, "id")
	if err != nil {
		return err
	}
	name := c.FormValue("photo")
	if !media.ValidName(name) {
		return propertyNotFound()
	}
	_, err = dbq.New(s.pool).RemovePropertyPhoto(c.Request().Context(), dbq.RemovePropertyPhotoParams{
		Photo: name, ID: id, AccountID: currentUser(c).AccountID})
	if errors.Is(err, pgx.ErrNoRows) {
		return propertyNotFound()
	}
	if err != nil {
		return fmt.Errorf("web: remove photo of %d: %w", id, err)
	}
	// The row no longer names the file, so a failure here only leaves an orphan on disk.
	if err := s.photoStore().Remove(name); err != nil {
		s.logger(c).Error("photo left on disk", "photo", name, "error", err)
	}
	setFlash(c, "Borraste la foto.")
	return c.Redirect(http.StatusSeeOther, propertyEditURL(id)+"#fotos")
}
