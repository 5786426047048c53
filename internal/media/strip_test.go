package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const secret = "GPS -41.1335,-71.3103 iPhone de Marta"

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := 0; x < 8; x++ {
		img.Set(x, x, color.RGBA{R: 200, A: 255})
	}
	return img
}

func jpegWithEXIF(t *testing.T) []byte {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, testImage(), nil))
	b := buf.Bytes()
	payload := append([]byte("Exif\x00\x00"), secret...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	return append(append(append([]byte{}, b[:2]...), seg...), b[2:]...)
}

func pngChunk(typ string, data []byte) []byte {
	c := make([]byte, 4, 12+len(data))
	binary.BigEndian.PutUint32(c, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

func pngWithText(t *testing.T) []byte {
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, testImage()))
	b := buf.Bytes()
	// After the signature and IHDR (8 + 25 bytes).
	extra := append(pngChunk("tEXt", []byte("Comment\x00"+secret)), pngChunk("eXIf", []byte(secret))...)
	return append(append(append([]byte{}, b[:33]...), extra...), b[33:]...)
}

func TestStripMetadataKeepsTheImage(t *testing.T) {
	t.Parallel()
	j := jpegWithEXIF(t)
	require.Contains(t, string(j), secret)
	clean := stripMetadata("jpg", j)
	require.NotContains(t, string(clean), secret)
	_, err := jpeg.Decode(bytes.NewReader(clean))
	require.NoError(t, err)

	p := pngWithText(t)
	_, err = png.Decode(bytes.NewReader(p))
	require.NoError(t, err, "the test PNG itself is valid")
	clean = stripMetadata("png", p)
	require.NotContains(t, string(clean), secret)
	img, err := png.Decode(bytes.NewReader(clean))
	require.NoError(t, err)
	require.Equal(t, color.RGBAModel.Convert(color.RGBA{R: 200, A: 255}), color.RGBAModel.Convert(img.At(3, 3)))

	// A WebP container: VP8X announcing EXIF, the image chunk, an EXIF chunk (odd size, padded).
	vp8x := append([]byte("VP8X"), 10, 0, 0, 0, 0x08, 0, 0, 0, 7, 0, 0, 7, 0, 0)
	img8 := append([]byte("VP8L"), 4, 0, 0, 0, 1, 2, 3, 4)
	exif := append([]byte("EXIF"), byte(len(secret)), 0, 0, 0)
	exif = append(exif, secret...)
	if len(secret)%2 == 1 {
		exif = append(exif, 0)
	}
	body := append(append(append([]byte("WEBP"), vp8x...), img8...), exif...)
	w := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(len(body)))
	w = append(w, body...)
	clean = stripMetadata("webp", w)
	require.NotContains(t, string(clean), secret)
	require.Equal(t, uint32(len(clean)-8), binary.LittleEndian.Uint32(clean[4:8]), "RIFF size fixed")
	require.Zero(t, clean[20]&0x08, "VP8X no longer announces EXIF")
	require.Contains(t, string(clean), "VP8L")

	// Garbage is left alone rather than mangled.
	require.Equal(t, []byte("\xFF\xD8\x00\x01"), stripMetadata("jpg", []byte("\xFF\xD8\x00\x01")))
}

func TestSaveStoresPhotosWithoutMetadata(t *testing.T) {
	t.Parallel()
	st := Store{Dir: t.TempDir()}
	name, err := st.Save(bytes.NewReader(jpegWithEXIF(t)))
	require.NoError(t, err)
	stored, err := os.ReadFile(filepath.Join(st.Dir, name))
	require.NoError(t, err)
	require.NotContains(t, string(stored), secret)
	_, err = jpeg.Decode(bytes.NewReader(stored))
	require.NoError(t, err)
}
