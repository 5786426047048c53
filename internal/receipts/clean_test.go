package receipts_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/receipts"
)

const secret = "GPS -41.1335,-71.3103 iPhone de Marta"

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := 0; x < 12; x++ {
		img.Set(x, x, color.RGBA{R: 200, A: 255})
	}
	return img
}

// jpegWithEXIF is a real JPEG with an APP1 (EXIF) segment right after SOI.
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

// pngWithText is a real PNG with a tEXt chunk after IHDR.
func pngWithText(t *testing.T) []byte {
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, testImage()))
	b := buf.Bytes()
	extra := pngChunk("tEXt", []byte("Comment\x00"+secret))
	return append(append(append([]byte{}, b[:33]...), extra...), b[33:]...)
}

// pngHeader is only a PNG signature and an IHDR declaring w × h: no pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	return append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
}

func riffChunk(typ string, data []byte) []byte {
	c := append([]byte(typ), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(c[4:], uint32(len(data)))
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// webpWithEXIF is a lossless WebP (VP8L header of a w × h image) in an
// extended container with an EXIF chunk.
func webpWithEXIF(w, h int) []byte {
	vp8x := make([]byte, 10)
	vp8x[0] = 0x08 // EXIF present
	put24 := func(b []byte, v int) { b[0], b[1], b[2] = byte(v), byte(v>>8), byte(v>>16) }
	put24(vp8x[4:], w-1)
	put24(vp8x[7:], h-1)
	vp8l := make([]byte, 5)
	vp8l[0] = 0x2f
	binary.LittleEndian.PutUint32(vp8l[1:], uint32(w-1)|uint32(h-1)<<14)
	body := append([]byte("WEBP"), riffChunk("VP8X", vp8x)...)
	body = append(body, riffChunk("VP8L", append(vp8l, 0, 0, 0))...)
	body = append(body, riffChunk("EXIF", []byte(secret))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

// pdf builds a small PDF whose objects are the given bodies (1-based), with
// a correct xref table and a trailer carrying extra (e.g. "/Info 4 0 R").
func pdf(objects []string, extra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, extra, xref)
	return b.Bytes()
}

func basePDF(catalogExtra string) []string {
	return []string{
		"<< /Type /Catalog /Pages 2 0 R " + catalogExtra + " >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
}

func TestCleanImagesLoseMetadata(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		in []byte
		ct string
	}{
		"jpeg": {jpegWithEXIF(t), "image/jpeg"},
		"png":  {pngWithText(t), "image/png"},
		"webp": {webpWithEXIF(16, 12), "image/webp"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.Contains(t, string(tc.in), secret)
			f, err := receipts.Clean(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.ct, f.ContentType)
			require.NotContains(t, string(f.Data), secret)
			require.Less(t, len(f.Data), len(tc.in))
			if tc.ct != "image/webp" {
				img, _, err := image.Decode(bytes.NewReader(f.Data))
				require.NoError(t, err, "the image still decodes")
				require.Equal(t, image.Rect(0, 0, 16, 12), img.Bounds())
			}
		})
	}
}

func TestCleanPDFBlanksMetadataKeepingOffsets(t *testing.T) {
	t.Parallel()
	objs := append(basePDF("/Metadata 5 0 R"),
		"<< /Producer ("+secret+") /Author (Marta) >>",
		"<< /Type /Metadata /Subtype /XML /Length 38 >>\nstream\n<x:xmpmeta>"+secret[:20]+"</x:xmpmeta>\nendstream")
	in := pdf(objs, "/Info 4 0 R")
	require.Contains(t, string(in), secret)
	f, err := receipts.Clean(in)
	require.NoError(t, err)
	require.Equal(t, "application/pdf", f.ContentType)
	require.Len(t, f.Data, len(in), "same length: the xref offsets still point at the objects")
	out := string(f.Data)
	require.NotContains(t, out, "/Info")
	require.NotContains(t, out, "/Metadata 5 0 R")
	require.NotContains(t, out, secret[:20])
	require.NotContains(t, out, "Marta")
	for i := 1; i <= 5; i++ {
		// Every xref offset still lands on its object.
		obj := fmt.Sprintf("%d 0 obj", i)
		require.Equal(t, strings.Index(string(in), obj), strings.Index(out, obj))
	}
	require.Contains(t, out, "/Type /Catalog /Pages 2 0 R")
	require.Contains(t, out, "%%EOF")
}

func deflate(t *testing.T, s string) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.String()
}

func TestCleanPDFRefusesActiveContent(t *testing.T) {
	t.Parallel()
	hidden := deflate(t, "<< /S /JavaScript /JS (app.alert(1)) >>")
	for name, in := range map[string][]byte{
		"javascript":        pdf(basePDF("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), ""),
		"escaped name":      pdf(basePDF("/OpenAction << /S /J#61vaScript >>"), ""),
		"launch":            pdf(basePDF("/OpenAction << /S /Launch /F (calc.exe) >>"), ""),
		"embedded file":     pdf(basePDF("/Names << /EmbeddedFiles 4 0 R >>"), ""),
		"xfa":               pdf(basePDF("/AcroForm << /XFA 4 0 R >>"), ""),
		"rich media":        pdf(basePDF("/RichMedia 4 0 R"), ""),
		"encrypted":         pdf(basePDF(""), "/Encrypt 4 0 R"),
		"in a Flate stream": pdf(append(basePDF(""), fmt.Sprintf("<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(hidden), hidden)), ""),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := receipts.Clean(in)
			require.ErrorIs(t, err, receipts.ErrActive)
			require.Contains(t, receipts.Message(err), "contenido activo")
		})
	}
	// A plain /OpenAction (open at the first page) is no code.
	_, err := receipts.Clean(pdf(basePDF("/OpenAction [3 0 R /Fit]"), ""))
	require.NoError(t, err)
	// /JSON is not /JS.
	_, err = receipts.Clean(pdf(basePDF("/JSON 1"), ""))
	require.NoError(t, err)
}

func TestCleanRefuses(t *testing.T) {
	t.Parallel()
	okPDF := pdf(basePDF(""), "")
	for name, tc := range map[string]struct {
		in  []byte
		err error
		msg string
	}{
		"empty":               {nil, receipts.ErrEmpty, "vacío"},
		"html named .pdf":     {[]byte("<!DOCTYPE html><html><body><script>alert(1)</script>%PDF-1.4</body></html>"), receipts.ErrType, "Subí el comprobante como PDF, JPG, PNG o WebP."},
		"text":                {[]byte("hola, te mando el comprobante"), receipts.ErrType, "PDF, JPG, PNG o WebP"},
		"pdf without EOF":     {okPDF[:len(okPDF)-7], receipts.ErrType, "PDF"},
		"10 MB + 1":           {append(okPDF, make([]byte, receipts.MaxBytes+1-len(okPDF))...), receipts.ErrTooBig, "El comprobante supera los 10 MB."},
		"60000² png header":   {pngHeader(60000, 60000), receipts.ErrPixels, "demasiado grande"},
		"60000² webp header":  {webpWithEXIF(16000, 16000), receipts.ErrPixels, "demasiado grande"},
		"truncated png":       {[]byte("\x89PNG\r\n\x1a\n\x00\x00"), receipts.ErrType, "PNG"},
		"gif (not accepted)":  {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), receipts.ErrType, "PDF"},
		"zero-size png image": {pngHeader(0, 10), receipts.ErrType, "PDF"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := receipts.Clean(tc.in)
			require.ErrorIs(t, err, tc.err)
			require.True(t, receipts.Refused(err))
			require.Contains(t, receipts.Message(err), tc.msg)
		})
	}
	// Exactly MaxBytes is fine.
	f, err := receipts.Clean(append(bytes.Clone(okPDF), make([]byte, receipts.MaxBytes-len(okPDF))...))
	require.NoError(t, err)
	require.Len(t, f.Data, receipts.MaxBytes)
}

// Not parallel: it measures the bytes allocated, which other tests running
// at the same time would add to (sequential tests run alone).
func TestCleanLargePNGHeaderAllocatesNothing(t *testing.T) {
	in := pngHeader(60000, 60000)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := receipts.Clean(in)
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, receipts.ErrPixels)
	// Decoding 60000 × 60000 RGBA would take 14 GB; reading the header takes a few small buffers.
	require.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20))
}
