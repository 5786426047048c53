package media

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 3))))
	return b.Bytes()
}

func TestValidName(t *testing.T) {
	t.Parallel()
	require.True(t, ValidName("0123456789abcdef0123456789abcdef.jpg"))
	require.True(t, ValidName("0123456789abcdef0123456789abcdef.webp"))
	for _, n := range []string{"", "../etc/passwd", "0123456789abcdef0123456789abcdef.gif",
		"0123456789ABCDEF0123456789abcdef.png", "0123456789abcdef0123456789abcdef.png/..", "x/0123456789abcdef0123456789abcdef.png",
		"0123456789abcdef0123456789abcde.png", "0123456789abcdef0123456789abcdef.png\n"} {
		require.False(t, ValidName(n), n)
	}
}

func TestSaveOpenRemove(t *testing.T) {
	t.Parallel()
	s := Store{Dir: filepath.Join(t.TempDir(), "photos")}
	img := pngBytes(t)
	name, err := s.Save(bytes.NewReader(img))
	require.NoError(t, err)
	require.True(t, ValidName(name))
	require.True(t, strings.HasSuffix(name, ".png"))
	require.Equal(t, "image/png", ContentType(name))

	other, err := s.Save(bytes.NewReader(img))
	require.NoError(t, err)
	require.NotEqual(t, name, other, "names are random")

	f, err := s.Open(name)
	require.NoError(t, err)
	got, err := io.ReadAll(f)
	require.NoError(t, err)
	f.Close()
	require.Equal(t, img, got)

	require.NoError(t, s.Remove(name))
	_, err = s.Open(name)
	require.ErrorIs(t, err, ErrNotFound)
	require.NoError(t, s.Remove(name), "already gone is fine")
	_, err = s.Open("../photos/" + other)
	require.ErrorIs(t, err, ErrNotFound)

	entries, err := os.ReadDir(s.Dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary files left behind")
}

func TestSaveRefuses(t *testing.T) {
	t.Parallel()
	s := Store{Dir: t.TempDir()}
	_, err := s.Save(strings.NewReader("hola, no soy una foto"))
	require.ErrorIs(t, err, ErrType)
	_, err = s.Save(strings.NewReader(""))
	require.ErrorIs(t, err, ErrType)
	_, err = s.Save(strings.NewReader("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"))
	require.ErrorIs(t, err, ErrType)

	big := append(pngBytes(t), make([]byte, MaxPhotoBytes)...)
	_, err = s.Save(bytes.NewReader(big))
	require.ErrorIs(t, err, ErrTooBig)
	entries, err := os.ReadDir(s.Dir)
	require.NoError(t, err)
	require.Empty(t, entries)

	// Exactly the limit is accepted.
	img := pngBytes(t)
	exact := append(img, make([]byte, MaxPhotoBytes-len(img))...)
	_, err = s.Save(bytes.NewReader(exact))
	require.NoError(t, err)
}
