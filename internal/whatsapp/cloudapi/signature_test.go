package cloudapi

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// From signature_vectors.txt (computed independently with Python's hmac).
const (
	vectorSecret    = "test_app_secret_123"
	vectorRawHeader = "sha256=b692c531700d4437081d213fd365060069f495fc63e90b1d4237648d1d31b2aa"
	vectorPrettyHdr = "sha256=ef4ef20d4b66167423d096648e2a729967cdcfcbf62bb70fa769ddc5bc4aa86b"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVerifySignatureFixtureVectors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ file, header string }{
		{"whatsapp_text_message.raw_body.json", vectorRawHeader},
		{"whatsapp_text_message.json", vectorPrettyHdr},
	} {
		body := readTestdata(t, tc.file)
		if err := VerifySignature(vectorSecret, body, tc.header); err != nil {
			t.Errorf("%s: %v", tc.file, err)
		}
		if got := Sign(vectorSecret, body); got != tc.header {
			t.Errorf("%s: Sign = %s, want %s", tc.file, got, tc.header)
		}
	}
	// The same event signed compact must not verify pretty-printed: the check
	// is on the raw bytes, never on a re-encoding.
	if err := VerifySignature(vectorSecret, readTestdata(t, "whatsapp_text_message.json"), vectorRawHeader); !errors.Is(err, ErrBadSignature) {
		t.Errorf("compact signature on pretty body: %v", err)
	}
}

func TestVerifySignatureSanityVector(t *testing.T) {
	t.Parallel()
	const want = "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
	if got := Sign("secret", []byte("test")); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if err := VerifySignature("secret", []byte("test"), want); err != nil {
		t.Fatal(err)
	}
}

func TestVerifySignatureRefusals(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "whatsapp_text_message.raw_body.json")
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)/2] ^= 0x01
	hexsum := strings.TrimPrefix(vectorRawHeader, "sha256=")
	for _, tc := range []struct {
		name, secret, header string
		body                 []byte
	}{
		{"tampered body", vectorSecret, vectorRawHeader, tampered},
		{"body with a trailing newline", vectorSecret, vectorRawHeader, append(append([]byte(nil), body...), '\n')},
		{"wrong secret", "test_app_secret_124", vectorRawHeader, body},
		{"empty secret", "", Sign("", body), body},
		{"missing header", vectorSecret, "", body},
		{"only the prefix", vectorSecret, "sha256=", body},
		{"no prefix", vectorSecret, hexsum, body},
		{"sha1 prefix", vectorSecret, "sha1=" + hexsum, body},
		{"uppercase prefix", vectorSecret, "SHA256=" + hexsum, body},
		{"truncated hex", vectorSecret, vectorRawHeader[:len(vectorRawHeader)-2], body},
		{"odd length hex", vectorSecret, vectorRawHeader[:len(vectorRawHeader)-1], body},
		{"extra hex", vectorSecret, vectorRawHeader + "00", body},
		{"non-hex", vectorSecret, "sha256=" + strings.Repeat("zz", 32), body},
		{"two signatures", vectorSecret, vectorRawHeader + "," + vectorRawHeader, body},
	} {
		if err := VerifySignature(tc.secret, tc.body, tc.header); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: got %v, want ErrBadSignature", tc.name, err)
		}
	}
}

// Uppercase hex is accepted: the digits are decoded before the constant-time
// comparison, so case carries no information.
func TestVerifySignatureUppercaseHex(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "whatsapp_text_message.raw_body.json")
	upper := "sha256=" + strings.ToUpper(strings.TrimPrefix(vectorRawHeader, "sha256="))
	if err := VerifySignature(vectorSecret, body, upper); err != nil {
		t.Fatal(err)
	}
	if err := VerifySignature(vectorSecret, body, " "+vectorRawHeader+" "); err != nil {
		t.Fatalf("surrounding spaces: %v", err)
	}
}

func FuzzVerifySignature(f *testing.F) {
	f.Add(vectorSecret, []byte(`{"object":"whatsapp_business_account"}`), vectorRawHeader)
	f.Add("secret", []byte("test"), "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914")
	f.Add("", []byte(""), "")
	f.Add("s", []byte("x"), "sha1=abc")
	f.Fuzz(func(t *testing.T, secret string, body []byte, header string) {
		err := VerifySignature(secret, body, header)
		if err != nil && !errors.Is(err, ErrBadSignature) {
			t.Fatalf("unexpected error %v", err)
		}
		if secret != "" && VerifySignature(secret, body, Sign(secret, body)) != nil {
			t.Fatal("own signature refused")
		}
	})
}
