package media

import (
	"bytes"
	"encoding/binary"
)

// Photos from phones carry metadata (EXIF with the GPS position and the
// camera, XMP, IPTC, text chunks). Uploads are shown on public pages, so the
// metadata is cut out before storing; the image data itself is untouched
// (no re-encoding, so no quality loss). Anything that does not parse is
// left as it is: the type was already checked by content.

// StripMetadata removes metadata from a JPEG, PNG or WebP file of the given
// content type ("image/jpeg", "image/png", "image/webp"); any other type, or
// a file that does not parse, comes back as it is. internal/receipts cleans
// bank-transfer receipts with it.
func StripMetadata(contentType string, b []byte) []byte {
	return stripMetadata(extensions[contentType], b)
}

// stripMetadata removes metadata from a JPEG, PNG or WebP file.
func stripMetadata(ext string, b []byte) []byte {
	switch ext {
	case "jpg":
		return stripJPEG(b)
	case "png":
		return stripPNG(b)
	case "webp":
		return stripWebP(b)
	}
	return b
}

// stripJPEG drops APP1 (EXIF, XMP) and APP13 (IPTC) segments before the scan.
func stripJPEG(b []byte) []byte {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, 0xFF, 0xD8)
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return b
		}
		marker := b[i+1]
		if marker == 0xDA { // start of scan: the rest is image data
			return append(out, b[i:]...)
		}
		size := int(binary.BigEndian.Uint16(b[i+2 : i+4]))
		if size < 2 || i+2+size > len(b) {
			return b
		}
		if marker != 0xE1 && marker != 0xED {
			out = append(out, b[i:i+2+size]...)
		}
		i += 2 + size
	}
	return b
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// stripPNG drops eXIf and text chunks (tEXt, zTXt, iTXt).
func stripPNG(b []byte) []byte {
	if !bytes.HasPrefix(b, pngSignature) {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, pngSignature...)
	for i := len(pngSignature); i < len(b); {
		if i+8 > len(b) {
			return b
		}
		size := int(binary.BigEndian.Uint32(b[i : i+4]))
		end := i + 12 + size
		if size < 0 || end > len(b) || end < i {
			return b
		}
		switch string(b[i+4 : i+8]) {
		case "eXIf", "tEXt", "zTXt", "iTXt":
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	return out
}

// stripWebP drops the EXIF and XMP chunks and clears their flags in VP8X.
func stripWebP(b []byte) []byte {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return b
	}
	out := make([]byte, 12, len(b))
	copy(out, b[:12])
	for i := 12; i < len(b); {
		if i+8 > len(b) {
			return b
		}
		size := int(binary.LittleEndian.Uint32(b[i+4 : i+8]))
		end := i + 8 + size + size%2 // chunks are padded to an even size
		if size < 0 || end > len(b) || end < i {
			return b
		}
		switch string(b[i : i+4]) {
		case "EXIF", "XMP ":
		case "VP8X":
			chunk := append([]byte(nil), b[i:end]...)
			if len(chunk) > 8 {
				chunk[8] &^= 0x08 | 0x04 // EXIF and XMP present
			}
			out = append(out, chunk...)
		default:
			out = append(out, b[i:end]...)
		}
		i = end
	}
	binary.LittleEndian.PutUint32(out[4:8], uint32(len(out)-8))
	return out
}
