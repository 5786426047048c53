package receipts

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	_ "image/jpeg" // image.DecodeConfig of JPEG receipts
	_ "image/png"  // image.DecodeConfig of PNG receipts
	"net/http"

	"alojamientos/internal/media"
)

// MaxBytes is the largest receipt accepted.
const MaxBytes = 10 << 20

// MaxPixels bounds an image receipt's dimensions: a small file may declare a
// huge image (a decompression bomb) that a viewer would then allocate.
const MaxPixels = 50_000_000

// File is a cleaned receipt: its sniffed type and its bytes without metadata.
type File struct {
	ContentType string
	Data        []byte
}

// Types accepted, by sniffed content.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeWebP = "image/webp"
)

// Clean checks an uploaded receipt by its content (never its name or its
// declared type) and returns it without metadata. It accepts PDF, JPEG, PNG
// and WebP of 1 to MaxBytes bytes.
//
// Images: their dimensions are read from the header (image.DecodeConfig, or
// the WebP chunk headers) and more than MaxPixels is refused before anything
// decodes them; EXIF, XMP, IPTC and text chunks are cut out by
// media.StripMetadata (the image data is untouched).
//
// PDF: it must start with %PDF- and contain %%EOF; one that is encrypted
// (/Encrypt) or carries active content (/JavaScript, /JS, /Launch,
// /EmbeddedFile(s), /RichMedia, /XFA) is refused, looking at the raw bytes
// and inside every Flate-compressed stream. "Metadata stripped" means for a
// PDF: the /Info and /Metadata references (in the trailer and in
// uncompressed dictionaries) are overwritten with spaces of the same length,
// and the objects they pointed at have their dictionary (Info) or stream
// bytes (XMP) blanked the same way, so every byte offset, and so the xref
// table, stays valid and the file keeps its length. Metadata inside
// compressed object streams is left as it is.
func Clean(data []byte) (File, error) {
	switch {
	case len(data) == 0:
		return File{}, ErrEmpty
	case len(data) > MaxBytes:
		return File{}, ErrTooBig
	}
	ct := http.DetectContentType(data)
	switch ct {
	case TypePDF:
		out, err := cleanPDF(data)
		if err != nil {
			return File{}, err
		}
		return File{ContentType: ct, Data: out}, nil
	case TypeJPEG, TypePNG, TypeWebP:
		w, h, err := dimensions(ct, data)
		if err != nil {
			return File{}, ErrType
		}
		if w <= 0 || h <= 0 {
			return File{}, ErrType
		}
		if int64(w)*int64(h) > MaxPixels {
			return File{}, ErrPixels
		}
		out := media.StripMetadata(ct, bytes.Clone(data))
		return File{ContentType: ct, Data: out}, nil
	}
	return File{}, ErrType
}

// dimensions reads an image's width and height from its header only.
func dimensions(ct string, data []byte) (int, int, error) {
	if ct == TypeWebP {
		return webpSize(data)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	return cfg.Width, cfg.Height, err
}

var errWebP = errors.New("receipts: unreadable WebP header")

// webpSize reads the canvas size of a WebP file from its first image chunk
// (VP8X, VP8 or VP8L), as the WebP container specification lays them out.
func webpSize(b []byte) (int, int, error) {
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0, errWebP
	}
	chunk := b[20:]
	switch string(b[12:16]) {
	case "VP8X":
		w := 1 + (int(chunk[4]) | int(chunk[5])<<8 | int(chunk[6])<<16)
		h := 1 + (int(chunk[7]) | int(chunk[8])<<8 | int(chunk[9])<<16)
		return w, h, nil
	case "VP8 ":
		// Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height.
		if chunk[3] != 0x9d || chunk[4] != 0x01 || chunk[5] != 0x2a {
			return 0, 0, errWebP
		}
		w := int(binary.LittleEndian.Uint16(chunk[6:8]) & 0x3fff)
		h := int(binary.LittleEndian.Uint16(chunk[8:10]) & 0x3fff)
		return w, h, nil
	case "VP8L":
		if chunk[0] != 0x2f {
			return 0, 0, errWebP
		}
		v := binary.LittleEndian.Uint32(chunk[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, nil
	}
	return 0, 0, errWebP
}
