// Package media keeps uploaded photos on disk. Names are random and never
// reused, so a stored file never changes and may be cached forever. It is
// apart from web so that checking an upload by its content and storing it
// under DATA_DIR can change without touching a handler.
package media

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// MaxPhotoBytes is the largest photo accepted.
const MaxPhotoBytes = 8 << 20

var (
	// ErrTooBig means the photo is over MaxPhotoBytes.
	ErrTooBig = errors.New("media: photo too big")
	// ErrType means the content is not a JPEG, PNG or WebP image, whatever its name says.
	ErrType = errors.New("media: not a JPEG, PNG or WebP image")
	// ErrNotFound means no stored photo has that name.
	ErrNotFound = errors.New("media: no such photo")
)

// extensions maps the sniffed content type to the stored name's extension.
var extensions = map[string]string{"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}

var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}

var nameRe = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png|webp)$`)

// ValidName reports whether name can be a stored photo's name: nothing else
// (no path, no dot-dot, no other extension) ever reaches the file system.
func ValidName(name string) bool { return nameRe.MatchString(name) }

// ContentType is the type a valid name is served with.
func ContentType(name string) string {
	return contentTypes[name[strings.LastIndexByte(name, '.')+1:]]
}

// Store keeps photos in Dir.
type Store struct {
	Dir string
}

// Save stores the photo read from r under a new random name and returns the
// name. The type is decided by the content (http.DetectContentType), never
// by a file name.
func (s Store) Save(r io.Reader) (string, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("media: read photo: %w", err)
	}
	head = head[:n]
	ext, ok := extensions[http.DetectContentType(head)]
	if !ok {
		return "", ErrType
	}
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return "", fmt.Errorf("media: create %s: %w", s.Dir, err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".upload-*")
	if err != nil {
		return "", fmt.Errorf("media: temp file: %w", err)
	}
	defer func() {
		if tmp != nil {
			// Cleanup of a failed upload: the error that got us here is the one returned.
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	data, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(head), r), MaxPhotoBytes+1))
	if err != nil {
		return "", fmt.Errorf("media: read photo: %w", err)
	}
	if len(data) > MaxPhotoBytes {
		return "", ErrTooBig
	}
	if _, err := tmp.Write(stripMetadata(ext, data)); err != nil {
		return "", fmt.Errorf("media: write photo: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return "", fmt.Errorf("media: chmod: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("media: close: %w", err)
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := hex.EncodeToString(b[:]) + "." + ext
	if err := os.Rename(tmp.Name(), filepath.Join(s.Dir, name)); err != nil {
		return "", fmt.Errorf("media: store photo: %w", err)
	}
	tmp = nil
	return name, nil
}

// Open opens a stored photo for reading.
func (s Store) Open(name string) (*os.File, error) {
	if !ValidName(name) {
		return nil, ErrNotFound
	}
	root, err := os.OpenRoot(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", s.Dir, err)
	}
	defer root.Close()
	f, err := root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("media: open %s: %w", name, err)
	}
	return f, nil
}

// Remove deletes a stored photo; a photo already gone is not an error.
func (s Store) Remove(name string) error {
	if !ValidName(name) {
		return ErrNotFound
	}
	root, err := os.OpenRoot(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("media: open %s: %w", s.Dir, err)
	}
	defer root.Close()
	err = root.Remove(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: remove %s: %w", name, err)
	}
	return nil
}
