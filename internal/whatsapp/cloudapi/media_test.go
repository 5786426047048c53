package cloudapi_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp/cloudapi"
	"alojamientos/internal/whatsapp/watest"
)

func TestMediaTwoSteps(t *testing.T) {
	t.Parallel()
	g := watest.NewGraph(t)
	data := []byte("%PDF-1.4 comprobante %%EOF")
	g.AddMedia(watest.Media{ID: "900100200", MimeType: "application/pdf", Data: data})
	c := cloudapi.NewClient(g.URL, watest.DefaultToken, nil)
	ctx := context.Background()

	info, err := c.Media(ctx, "900100200")
	require.NoError(t, err)
	require.Equal(t, "900100200", info.ID)
	require.Equal(t, "application/pdf", info.MimeType)
	require.Equal(t, int64(len(data)), info.FileSize)
	require.Len(t, info.SHA256, 64)
	require.Contains(t, info.URL, g.URL+"/whatsapp_business/attachments/900100200")

	got, err := c.Download(ctx, info, 1<<20)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.Equal(t, []watest.MediaFetch{
		{MediaID: "900100200", Step: "info", Token: watest.DefaultToken, Status: 200},
		{MediaID: "900100200", Step: "download", Token: watest.DefaultToken, Status: 200},
	}, g.MediaFetches(), "both steps carry the bearer token")

	// The body is bounded too, whatever the first step declared.
	_, err = c.Download(ctx, info, int64(len(data)-1))
	require.ErrorIs(t, err, cloudapi.ErrMediaTooBig)
}

func TestMediaRefusals(t *testing.T) {
	t.Parallel()
	g := watest.NewGraph(t)
	g.AddMedia(watest.Media{ID: "555", MimeType: "image/jpeg", Data: bytes.Repeat([]byte{1}, 10), FileSize: 11 << 20})
	c := cloudapi.NewClient(g.URL, watest.DefaultToken, nil)
	ctx := context.Background()

	// Declared over the limit: never downloaded.
	info, err := c.Media(ctx, "555")
	require.NoError(t, err)
	_, err = c.Download(ctx, info, 10<<20)
	require.ErrorIs(t, err, cloudapi.ErrMediaTooBig)
	require.Len(t, g.MediaFetches(), 1)

	// A download address outside Graph and Meta's media hosts never gets the token.
	for _, u := range []string{"https://evil.example.com/x", "http://lookaside.fbsbx.com/x", "https://fbsbx.com.evil.io/x", "::"} {
		_, err = c.Download(ctx, cloudapi.MediaInfo{ID: "555", URL: u}, 10<<20)
		require.Error(t, err, u)
		require.False(t, errors.Is(err, cloudapi.ErrMediaTooBig))
	}
	require.Len(t, g.MediaFetches(), 1)

	// A token Meta does not know: 190.
	_, err = cloudapi.NewClient(g.URL, "stolen", nil).Media(ctx, "555")
	var ae *cloudapi.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 190, ae.Code)
	_, err = cloudapi.NewClient(g.URL, "stolen", nil).Download(ctx, cloudapi.MediaInfo{ID: "555", URL: info.URL}, 10<<20)
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 401, ae.HTTPStatus)

	// An id Meta does not know: its "object does not exist" error.
	_, err = c.Media(ctx, "777")
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 100, ae.Code)
	require.False(t, cloudapi.IsRetryable(err))

	// Not an id at all: nothing is asked.
	_, err = c.Media(ctx, "../v25.0/123")
	require.Error(t, err)
	_, err = cloudapi.NewClient(g.URL, "", nil).Media(ctx, "555")
	require.ErrorIs(t, err, cloudapi.ErrUnconfigured)
}

func TestParseMediaMessages(t *testing.T) {
	t.Parallel()
	testTime := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	img := watest.ImageMessage("123", "5491155550101", "Ana", "wamid.A", "4001", "image/jpeg", "la transferencia", testTime)
	doc := watest.DocumentMessage("123", "5491155550101", "Ana", "wamid.B", "4002", "application/pdf", "comprobante.pdf", "", testTime)
	b, err := cloudapi.ParseWebhook(watest.Batch(img, doc))
	require.NoError(t, err)
	require.Len(t, b.Messages, 2)
	require.Equal(t, []string{"image", "4001", "image/jpeg", "", "la transferencia"},
		[]string{b.Messages[0].Type, b.Messages[0].MediaID, b.Messages[0].MimeType, b.Messages[0].FileName, b.Messages[0].Text})
	require.Equal(t, []string{"document", "4002", "application/pdf", "comprobante.pdf"},
		[]string{b.Messages[1].Type, b.Messages[1].MediaID, b.Messages[1].MimeType, b.Messages[1].FileName})
}
