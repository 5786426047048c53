package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
	"alojamientos/web/webtest"
)

// Two messages of one chat sent back to back are answered by two jobs at
// once; the second must see what the first remembered (the dates), with
// Redis on or off. Several chats at a time, so a lost state cannot hide.
func TestWhatsAppBackToBackMessagesKeepState(t *testing.T) {
	t.Parallel()
	for _, redis := range []bool{false, true} {
		t.Run(fmt.Sprintf("redis=%v", redis), func(t *testing.T) {
			t.Parallel()
			graph := watest.NewGraph(t)
			s := webtest.Start(t, webtest.Options{Workers: true, Redis: redis, WhatsAppURL: graph.URL})
			e := waEnv{s: s, graph: graph}
			s.Property(t, waName("Cabaña Marzo"))
			guests := make([]string, 10)
			var wg sync.WaitGroup
			for i := range guests {
				guests[i] = fmt.Sprintf("54911555513%02d", i)
				wg.Go(func() {
					// Meta often delivers quick messages together: both jobs start at once.
					now := s.Clock.Now()
					body := watest.Batch(watest.TextMessage(webtest.WhatsAppNumberID, guests[i], "Nico", waID(), "del 10 al 15 de marzo", now),
						watest.TextMessage(webtest.WhatsAppNumberID, guests[i], "Nico", waID(), "somos 2", now))
					require.Equal(t, http.StatusOK, e.post(t, body, whatsapp.Sign(webtest.WhatsAppSecret, body)))
				})
			}
			wg.Wait()
			for _, g := range guests {
				e.waitTo(t, g, 2)
			}
			e.settle(t)
			for _, g := range guests {
				sent := e.to(g)
				require.Len(t, sent, 2, "one answer per message to %s", g)
				var texts []string
				offered := false
				for _, m := range sent {
					texts = append(texts, m.Text)
					if strings.Contains(m.Text, "Para 2 personas, del") && strings.Contains(m.Text, "15 de marzo") &&
						strings.Contains(m.Text, "Cabaña Marzo") {
						offered = true
					}
				}
				require.True(t, offered, "the second answer offers the cabin for both facts, asking for nothing again: %q", texts)
			}
		})
	}
}
