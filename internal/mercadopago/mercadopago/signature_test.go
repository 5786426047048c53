package mercadopago_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"alojamientos/internal/mercadopago"
)

// The vectors of ../shared/fixtures/mercadopago/signature_vectors.txt.
var vectors = []struct {
	name, dataID, requestID, header string
}{
	{"numeric id", "123456789", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e",
		"ts=1742505638683,v1=8f5b0160a88a31e68b51397bdbaab3a93893775bfb01d6c5337459b3f115c4d9"},
	{"doc example, ts in seconds", "999999999", "2066ca19-c6f1-498a-be75-1923005edd06",
		"ts=1704908010,v1=688a0d38e33107d4b2d452a85915d494fc120daf7e962608ab6811f80cd7ad22"},
	{"orders id as received", "ORD01JQ4S4KY8HWQ6NA5PXB65B3D3", "2066ca19-c6f1-498a-be75-1923005edd06",
		"ts=1742505638683,v1=fb15ae6472eb449173c556793205d77787d58f384d183bb5bc3b724c27bd103c"},
	{"orders id lowercased", "ORD01JQ4S4KY8HWQ6NA5PXB65B3D3", "2066ca19-c6f1-498a-be75-1923005edd06",
		"ts=1742505638683,v1=633f91233312dd391ec75fa0bea539cfc2d6c4918873305b84a96cc1c58db71c"},
	{"no x-request-id", "123456789", "",
		"ts=1742505638683,v1=a44ffda3ef9921f9a9b868c1bf04d38560eb136391dcc75cf2ef1c55e8e4ccda"},
	{"no data.id", "", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e",
		"ts=1742505638683,v1=d69d974256f9e0bc92b7894e202b36a44a10f1f677e6db59a38c8695a37b65e4"},
}

const vectorSecret = "your_secret_key_here"

func TestSignatureVectors(t *testing.T) {
	t.Parallel()
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			if err := mercadopago.Verify(vectorSecret, v.header, v.dataID, v.requestID, time.Time{}, 0); err != nil {
				t.Fatalf("vector refused: %v", err)
			}
			sig, err := mercadopago.ParseSignature(v.header)
			if err != nil {
				t.Fatal(err)
			}
			// Within the tolerance of its own time, accepted; a day later, a replay.
			at, _ := mercadopago.SignatureTime(sig.TS)
			if err := mercadopago.Verify(vectorSecret, v.header, v.dataID, v.requestID, at.Add(time.Minute), 10*time.Minute); err != nil {
				t.Fatalf("fresh vector refused: %v", err)
			}
			if err := mercadopago.Verify(vectorSecret, v.header, v.dataID, v.requestID, at.Add(24*time.Hour), 10*time.Minute); !errors.Is(err, mercadopago.ErrReplay) {
				t.Fatalf("old ts: got %v, want ErrReplay", err)
			}
			if err := mercadopago.Verify("other secret", v.header, v.dataID, v.requestID, time.Time{}, 0); !errors.Is(err, mercadopago.ErrMismatch) {
				t.Fatalf("wrong secret: got %v", err)
			}
		})
	}
	if got := mercadopago.Sign(vectorSecret, "123456789", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e", "1742505638683"); got != "8f5b0160a88a31e68b51397bdbaab3a93893775bfb01d6c5337459b3f115c4d9" {
		t.Fatalf("Sign = %s", got)
	}
}

func TestSignatureTampering(t *testing.T) {
	t.Parallel()
	v := vectors[0]
	cases := map[string][3]string{ // header, data.id, request id
		"data.id changed":    {v.header, "123456788", v.requestID},
		"request id changed": {v.header, v.dataID, "bb56a2f1-6aae-46ac-982e-9dcd3581d08f"},
		"request id dropped": {v.header, v.dataID, ""},
		"data.id dropped":    {v.header, "", v.requestID},
		"ts changed":         {strings.Replace(v.header, "ts=1742505638683", "ts=1742505638684", 1), v.dataID, v.requestID},
		"v1 changed":         {strings.Replace(v.header, "v1=8f", "v1=9f", 1), v.dataID, v.requestID},
		"v1 missing":         {"ts=1742505638683", v.dataID, v.requestID},
		"ts missing":         {"v1=8f5b0160a88a31e68b51397bdbaab3a93893775bfb01d6c5337459b3f115c4d9", v.dataID, v.requestID},
		"empty header":       {"", v.dataID, v.requestID},
		"garbage":            {"hello", v.dataID, v.requestID},
		"v1 truncated":       {"ts=1742505638683,v1=8f5b01", v.dataID, v.requestID},
	}
	for name, c := range cases {
		if err := mercadopago.Verify(vectorSecret, c[0], c[1], c[2], time.Time{}, 0); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if err := mercadopago.Verify("", v.header, v.dataID, v.requestID, time.Time{}, 0); !errors.Is(err, mercadopago.ErrNoSecret) {
		t.Errorf("no secret: %v", err)
	}
}

func FuzzParseSignature(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.header)
	}
	f.Add("ts=,v1=")
	f.Add(" TS = 1 , V1 = 00 ")
	f.Add("ts=1,ts=2,v1=zz")
	f.Fuzz(func(t *testing.T, h string) {
		sig, err := mercadopago.ParseSignature(h)
		if err != nil {
			return
		}
		if sig.TS == "" || len(sig.V1) == 0 {
			t.Fatalf("accepted %q without ts or v1", h)
		}
		for _, b := range sig.V1 {
			if len(b) != 32 {
				t.Fatalf("v1 of %d bytes from %q", len(b), h)
			}
		}
		_ = mercadopago.Verify("s", h, "1", "r", time.Now(), time.Minute)
	})
}
