package cloudapi_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"alojamientos/internal/whatsapp/cloudapi"
	"alojamientos/internal/whatsapp/watest"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	ourNumber = "106540352242922"
	guest     = "16505551234"
)

func TestParseWebhookFixtures(t *testing.T) {
	t.Parallel()
	msg := func(id, ts, typ, text, reply, ctx string) cloudapi.InboundMessage {
		return cloudapi.InboundMessage{PhoneNumberID: ourNumber, From: guest, ProfileName: "Sheena Nelson",
			ID: id, Timestamp: unix(ts), Type: typ, Text: text, ReplyID: reply, ContextID: ctx}
	}
	st := func(id, status, ts string, code int, title string) cloudapi.StatusUpdate {
		return cloudapi.StatusUpdate{PhoneNumberID: ourNumber, ID: id, Status: status, Timestamp: unix(ts),
			RecipientID: guest, ErrorCode: code, ErrorTitle: title}
	}
	const delivered = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA="
	for _, tc := range []struct {
		file string
		want cloudapi.Batch
	}{
		{"whatsapp_text_message.json", cloudapi.Batch{Messages: []cloudapi.InboundMessage{
			msg("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "1749416383", "text", "Does it come in another color?", "", "")}}},
		{"whatsapp_text_message.raw_body.json", cloudapi.Batch{Messages: []cloudapi.InboundMessage{
			msg("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", "1749416383", "text", "Does it come in another color?", "", "")}}},
		{"whatsapp_interactive_button_reply.json", cloudapi.Batch{Messages: []cloudapi.InboundMessage{
			msg("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=", "1750025136", "interactive", "Cancel", "cancel-button",
				"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MEM2RUJFNkI0RENGQTVDRjUA")}}},
		{"whatsapp_interactive_list_reply.json", cloudapi.Batch{Messages: []cloudapi.InboundMessage{
			msg("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "1749854575", "interactive", "Priority Mail Express", "priority_express",
				"wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=")}}},
		{"whatsapp_template_quick_reply_button_derived.json", cloudapi.Batch{Messages: []cloudapi.InboundMessage{
			msg("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQjk3QjBGNjk3RDk1RDk1NzUA", "1750031000", "button", "Confirmar", "CONFIRM_BOOKING_RSV42",
				"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBRkJENzExMTRFRjk2NTI1OTEA")}}},
		{"whatsapp_status_sent.json", cloudapi.Batch{Statuses: []cloudapi.StatusUpdate{st(delivered, "sent", "1750030073", 0, "")}}},
		{"whatsapp_status_delivered.json", cloudapi.Batch{Statuses: []cloudapi.StatusUpdate{st(delivered, "delivered", "1750030080", 0, "")}}},
		{"whatsapp_status_read.json", cloudapi.Batch{Statuses: []cloudapi.StatusUpdate{st(delivered, "read", "1750030199", 0, "")}}},
		{"whatsapp_status_failed_131047_derived.json", cloudapi.Batch{Statuses: []cloudapi.StatusUpdate{st(
			"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJGQkY5NkU3M0I3RUQwMTY2NEMA", "failed", "1751142999", 131047,
			"Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.")}}},
		{"whatsapp_status_failed_131049.json", cloudapi.Batch{Statuses: []cloudapi.StatusUpdate{st(
			"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA", "failed", "1751142888", 131049,
			"This message was not delivered to maintain healthy ecosystem engagement.: In order to maintain a healthy ecosystem engagement, the message failed to be delivered.")}}},
	} {
		got, err := cloudapi.ParseWebhook(fixture(t, tc.file))
		if err != nil {
			t.Errorf("%s: %v", tc.file, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.file, got, tc.want)
		}
	}
}

func unix(s string) time.Time {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return time.Unix(n, 0).UTC()
}

// Meta batches: several entries, each with several changes, each with
// several messages and statuses. Everything must come out, in order, each
// with the number it arrived on.
func TestParseWebhookBatch(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	body := watest.Batch(
		watest.TextMessage("111", "5491122223333", "Ana", "wamid.A", "Hola, ¿tienen lugar? 🏖️", at),
		watest.ButtonReply("111", "5491144445555", "Bruno", "wamid.B", "confirm-RES1", "Confirmar", at.Add(time.Second)),
		watest.Status("222", "wamid.OUT1", "delivered", "5491122223333", at.Add(2*time.Second), 0),
		watest.ListReply("222", "5491166667777", "Carla", "wamid.C", "prop-7", "Cabaña del lago", at.Add(3*time.Second)),
		watest.Status("111", "wamid.OUT2", "failed", "5491144445555", at.Add(4*time.Second), 131047),
	)
	// A second change in the first entry, a change of another field and an
	// entry without changes, all hand-written like Meta's.
	extra := `{"object":"whatsapp_business_account","entry":[
	  {"id":"1","changes":[
	    {"field":"messages","value":{"metadata":{"phone_number_id":"333"},
	      "contacts":[{"wa_id":"1","profile":{"name":"Uno"}},{"wa_id":"2","profile":{"name":"Dos"}}],
	      "messages":[
	        {"from":"2","id":"wamid.D","timestamp":"1750000000","type":"text","text":{"body":"segundo contacto"}},
	        {"from":"1","id":"wamid.E","timestamp":1750000001,"type":"image","image":{"id":"9","caption":"la pileta"}},
	        {"from":"1","id":"wamid.F","timestamp":"bad","type":"reaction","reaction":{"message_id":"wamid.X","emoji":"👍"}},
	        {"from":"1","id":"wamid.G","timestamp":"1750000003","type":"unsupported","errors":[{"code":131051}]}],
	      "statuses":[{"id":"wamid.OUT3","status":"read","timestamp":"1750000004","recipient_id":"1"},
	                  {"id":"wamid.OUT3","status":"deleted","timestamp":"1750000005","recipient_id":"1"}]}},
	    {"field":"account_update","value":{"messages":[{"id":"wamid.IGNORED"}]}}]},
	  {"id":"2"}]}`
	b1, err := cloudapi.ParseWebhook(body)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := cloudapi.ParseWebhook([]byte(extra))
	if err != nil {
		t.Fatal(err)
	}
	var ids, names, texts, numbers []string
	for _, m := range append(b1.Messages, b2.Messages...) {
		ids = append(ids, m.ID)
		names = append(names, m.ProfileName)
		texts = append(texts, m.Text+"|"+m.ReplyID)
		numbers = append(numbers, m.PhoneNumberID)
	}
	eq(t, "ids", ids, []string{"wamid.A", "wamid.B", "wamid.C", "wamid.D", "wamid.E", "wamid.F", "wamid.G"})
	eq(t, "names", names, []string{"Ana", "Bruno", "Carla", "Dos", "Uno", "Uno", "Uno"})
	eq(t, "texts", texts, []string{"Hola, ¿tienen lugar? 🏖️|", "Confirmar|confirm-RES1", "Cabaña del lago|prop-7",
		"segundo contacto|", "la pileta|", "|", "|"})
	eq(t, "numbers", numbers, []string{"111", "111", "222", "333", "333", "333", "333"})
	if !b1.Messages[0].Timestamp.Equal(at) || b1.Messages[0].From != "5491122223333" || b1.Messages[0].Type != "text" {
		t.Errorf("first message %+v", b1.Messages[0])
	}
	if got := b2.Messages[1].Timestamp; got.Unix() != 1750000001 {
		t.Errorf("numeric timestamp read as %v", got)
	}
	if got := b2.Messages[2]; !got.Timestamp.IsZero() || got.Type != "reaction" {
		t.Errorf("bad timestamp: %+v", got)
	}
	var statuses []string
	for _, s := range append(b1.Statuses, b2.Statuses...) {
		statuses = append(statuses, s.PhoneNumberID+"/"+s.ID+"/"+s.Status)
	}
	eq(t, "statuses", statuses, []string{"222/wamid.OUT1/delivered", "111/wamid.OUT2/failed", "333/wamid.OUT3/read", "333/wamid.OUT3/deleted"})
	if s := b1.Statuses[1]; s.ErrorCode != 131047 || !strings.HasPrefix(s.ErrorTitle, "Re-engagement message") || s.RecipientID != "5491144445555" {
		t.Errorf("failed status %+v", s)
	}
}

func eq(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestParseWebhookRefusals(t *testing.T) {
	t.Parallel()
	for _, body := range []string{``, `{`, `nul`, `{"object":"whatsapp_business_account","entry":[}`,
		`{"object":"whatsapp_business_account","entry":{}}`, "\xff"} {
		if _, err := cloudapi.ParseWebhook([]byte(body)); err == nil {
			t.Errorf("%q: parsed", body)
		}
	}
	for _, body := range []string{`{}`, `null`, `{"object":"page","entry":[]}`, `{"object":"instagram"}`, `[]`} {
		_, err := cloudapi.ParseWebhook([]byte(body))
		if err == nil {
			t.Errorf("%q: parsed", body)
		}
		if body != `[]` && !errors.Is(err, cloudapi.ErrNotWhatsApp) {
			t.Errorf("%q: %v, want ErrNotWhatsApp", body, err)
		}
	}
	// Nothing to do is not an error: Meta sends entries we do not subscribe to.
	b, err := cloudapi.ParseWebhook([]byte(`{"object":"whatsapp_business_account","entry":[]}`))
	if err != nil || len(b.Messages)+len(b.Statuses) != 0 {
		t.Errorf("empty batch: %+v %v", b, err)
	}
}

func TestStatusRank(t *testing.T) {
	t.Parallel()
	order := []string{"", "sent", "delivered", "read", "failed"}
	for i := 1; i < len(order); i++ {
		if cloudapi.StatusRank(order[i-1]) >= cloudapi.StatusRank(order[i]) {
			t.Errorf("%q should rank below %q", order[i-1], order[i])
		}
	}
	if cloudapi.StatusRank("deleted") != 0 || cloudapi.StatusRank("Read") != 0 {
		t.Error("unknown statuses must rank 0")
	}
	// A late "read" after "failed" must not move the message back.
	if cloudapi.StatusRank("read") > cloudapi.StatusRank("failed") {
		t.Error("read after failed would be applied")
	}
}

func FuzzParseWebhook(f *testing.F) {
	// Seeds are the fixtures, checked in under testdata/fuzz/FuzzParseWebhook.
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := cloudapi.ParseWebhook(body)
		if err != nil && (len(b.Messages) > 0 || len(b.Statuses) > 0) {
			t.Fatal("events returned with an error")
		}
	})
}

// The fake's builders must produce what Meta sends, or tests built on them
// prove nothing: the text message is byte for byte the fixture's raw body,
// so it carries the fixture's signature too.
func TestBuildersMatchFixtures(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "whatsapp_text_message.raw_body.json")
	got := watest.TextMessage(ourNumber, guest, "Sheena Nelson", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
		"Does it come in another color?", unix("1749416383"))
	if string(got) != string(raw) {
		t.Errorf("TextMessage\n%s\nwant\n%s", got, raw)
	}
	if err := cloudapi.VerifySignature("test_app_secret_123", got, "sha256=b692c531700d4437081d213fd365060069f495fc63e90b1d4237648d1d31b2aa"); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		file string
		body []byte
	}{
		{"whatsapp_status_read.json", watest.Status(ourNumber, "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "read", guest, unix("1750030199"), 0)},
	} {
		want, _ := cloudapi.ParseWebhook(fixture(t, tc.file))
		got, err := cloudapi.ParseWebhook(tc.body)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v %v, want %+v", tc.file, got, err, want)
		}
	}
	for _, tc := range []struct {
		file string
		body []byte
	}{
		{"whatsapp_interactive_button_reply.json", watest.ButtonReply(ourNumber, guest, "Sheena Nelson",
			"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTZBQzg0MzQ4QjRCM0NGNkVGOAA=", "cancel-button", "Cancel", unix("1750025136"))},
		{"whatsapp_interactive_list_reply.json", watest.ListReply(ourNumber, guest, "Sheena Nelson",
			"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", "priority_express", "Priority Mail Express", unix("1749854575"))},
	} {
		want, _ := cloudapi.ParseWebhook(fixture(t, tc.file))
		want.Messages[0].ContextID = "" // the builders answer nothing in particular
		got, err := cloudapi.ParseWebhook(tc.body)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v %v, want %+v", tc.file, got, err, want)
		}
	}
	b, err := cloudapi.ParseWebhook(watest.Status(ourNumber, "wamid.X", "failed", guest, unix("1751142999"), 131049))
	if err != nil || len(b.Statuses) != 1 || b.Statuses[0].ErrorCode != 131049 || b.Statuses[0].ErrorTitle == "" {
		t.Errorf("failed status: %+v %v", b, err)
	}
}
