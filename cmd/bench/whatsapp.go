package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/format"
	"alojamientos/internal/money"
	"alojamientos/internal/platform"
	"alojamientos/internal/whatsapp"
	"alojamientos/internal/whatsapp/watest"
)

// The WhatsApp phases: the inbound webhook (signature check and inbox insert)
// against the pre-reserve rate of the same run, and the assistant's answer to
// an availability question, computed in this process straight on the bench
// database, against a SELECT 1 round trip on the same pool.

// benchWASecret is the app secret of the server the bench starts. Its access
// token stays unset and its API base URL points at a closed loopback port, so
// nothing leaves the machine.
const benchWASecret = "bench-whatsapp-secret"

// benchWAWebhookNumber is the phone_number_id of the webhook phase's messages.
// No account uses it, so the server's processing of them ends at the lookup.
const benchWAWebhookNumber = "100000000000001"

// waSecret is the secret to sign with: ours for a managed server,
// BENCH_WA_SECRET for one started by the caller ("" skips the phase).
func waSecret(managed bool) string {
	if managed {
		return benchWASecret
	}
	return os.Getenv("BENCH_WA_SECRET")
}

// waWebhooks posts signed WhatsApp deliveries of one text message each, every
// one with its own wamid and sender, from `workers` clients for d: what is
// measured is the signature check and the inbox insert (with its job) that
// end in a 200.
func waWebhooks(ctx context.Context, baseURL, secret string, d time.Duration) phaseResult {
	url := baseURL + "/webhooks/whatsapp"
	return postLoop(ctx, d, func(n int64) (*http.Request, error) {
		from := fmt.Sprintf("549%010d", n%1e10)
		wamid := "wamid.bench-" + strconv.FormatInt(n, 10)
		body := watest.TextMessage(benchWAWebhookNumber, from, "Bench", wamid, "hola, tienen lugar para el finde?", time.Now())
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", whatsapp.Sign(secret, body))
		return req, nil
	})
}

// assistantResult is the assistant's latency and its interleaved baseline.
type assistantResult struct {
	reply, roundtrip phaseResult
}

// assistantProps is how many properties the assistant's account has: the
// answer prices and checks the nights of each.
const assistantProps = 3

// assistantBench answers availability questions with the real assistant, one
// at a time, for about d: an account of its own with assistantProps active
// properties and WhatsApp settings, a Service built here on a pool of the
// bench database. Each call understands the message, searches the
// properties' nights and prices, stores the chat and queues the reply; the
// send is a separate job (the network) and is not part of it. Between two
// calls, one SELECT 1 on the same pool is the baseline.
func assistantBench(ctx context.Context, dbURL string, d time.Duration) (assistantResult, error) {
	res := assistantResult{
		reply:     phaseResult{failures: map[string]int{}, samples: map[string]string{}},
		roundtrip: phaseResult{failures: map[string]int{}, samples: map[string]string{}},
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return res, fmt.Errorf("bench: assistant: %w", err)
	}
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return res, fmt.Errorf("bench: assistant: %w", err)
	}
	defer pool.Close()

	a, err := newAssistantRun(ctx, pool)
	if err != nil {
		return res, err
	}
	if err := a.checkFirstAnswer(ctx); err != nil {
		return res, err
	}
	if err := a.warmUp(ctx); err != nil {
		return res, err
	}
	before, err := a.replies(ctx)
	if err != nil {
		return res, err
	}
	a.measure(ctx, d, &res)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	// Every answered message queued exactly one reply.
	after, err := a.replies(ctx)
	if err != nil {
		return res, err
	}
	if queued := after - before; queued != res.reply.ok {
		res.reply.fail("replies queued", fmt.Sprintf("%d messages answered, %d replies queued", res.reply.ok, queued))
	}
	logf("assistant: %d answers in %s, p50 %.1f ms, p95 %.1f ms, max %.1f ms; SELECT 1 p50 %.2f ms",
		res.reply.ok, res.reply.elapsed.Round(time.Millisecond), ms(percentile(res.reply.lat, 0.5)),
		ms(percentile(res.reply.lat, 0.95)), ms(percentile(res.reply.lat, 1)), ms(percentile(res.roundtrip.lat, 0.5)))
	return res, nil
}

// assistantRun is the assistant phase's account and the question it asks,
// from a new sender every time.
type assistantRun struct {
	pool    *pgxpool.Pool
	svc     *whatsapp.Service
	account int64
	number  string // the account's phone_number_id
	text    string // the question
	seq     int64  // the last sender and message id used
}

// newAssistantRun builds the Service on pool and creates a fresh account
// (so a debugging database's chats do not count) with its properties and
// WhatsApp settings.
func newAssistantRun(ctx context.Context, pool *pgxpool.Pool) (*assistantRun, error) {
	clock := platform.SystemClock{}
	log := slog.New(slog.DiscardHandler)
	metrics := platform.NewMetrics()
	// No Graph API account (the send is not measured), no property cache, no channel feeds.
	svc := whatsapp.New(whatsapp.Deps{DB: pool, Clock: clock, Log: log, Metrics: metrics,
		Booking: booking.New(booking.Deps{DB: pool, Clock: clock, Metrics: metrics, Log: log})})

	account, err := assistantAccount(ctx, pool)
	if err != nil {
		return nil, err
	}
	number := fmt.Sprintf("2%014d", time.Now().UnixNano()%1e14)
	if err := svc.SaveSettings(ctx, whatsapp.Settings{AccountID: account, Enabled: true, PhoneNumberID: number,
		AssistantEnabled: true}); err != nil {
		return nil, fmt.Errorf("bench: assistant: %w", err)
	}
	text, err := assistantQuestion()
	if err != nil {
		return nil, err
	}
	return &assistantRun{pool: pool, svc: svc, account: account, number: number, text: text,
		seq: time.Now().UnixNano() % 1e10}, nil
}

// assistantAccount creates an account of its own with assistantProps active
// properties and returns its id.
func assistantAccount(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	tag := randomHex(6)
	q := db.Q(pool)
	acc, err := q.CreateAccount(ctx, dbq.CreateAccountParams{Slug: "bench-wa-" + tag, Name: "Cabañas WhatsApp Bench",
		Timezone: "America/Argentina/Buenos_Aires", Currency: "ARS"})
	if err != nil {
		return 0, fmt.Errorf("bench: assistant: account: %w", err)
	}
	for i := range assistantProps {
		if _, err := q.CreateProperty(ctx, dbq.CreatePropertyParams{AccountID: acc.ID,
			Slug: fmt.Sprintf("bench-wa-%s-%d", tag, i), Name: fmt.Sprintf("Cabaña %d", i+1), Kind: "cabin",
			Capacity: 4, IncludedGuests: 2, BasePrice: money.FromUnits(int64(10000 + 2500*i)), WeekendNights: []int16{5, 6},
			CheckInTime: "14:00", CheckOutTime: "10:00", DepositPercent: 30, MinNights: 1, HoldMinutes: 30,
			Active: true}); err != nil {
			return 0, fmt.Errorf("bench: assistant: property %d: %w", i, err)
		}
	}
	return acc.ID, nil
}

// assistantQuestion asks for two nights two months ahead (Buenos Aires
// time), when the new properties are all free.
func assistantQuestion() (string, error) {
	ba, err := time.LoadLocation("America/Argentina/Buenos_Aires")
	if err != nil {
		return "", fmt.Errorf("bench: assistant: %w", err)
	}
	today := booking.LocalDate(time.Now(), ba)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 2, 0).Month()
	return fmt.Sprintf("hola, tienen lugar del 10 al 12 de %s para 2 personas?", format.MonthName(month)), nil
}

// ask sends the question from a new sender and times the assistant's answer.
func (a *assistantRun) ask(ctx context.Context) (time.Duration, error) {
	a.seq++
	t0 := time.Now()
	err := a.svc.HandleMessage(ctx, whatsapp.InboundMessage{PhoneNumberID: a.number,
		From: fmt.Sprintf("549%010d", a.seq), ProfileName: "Bench", ID: "wamid.bench-assistant-" + strconv.FormatInt(a.seq, 10),
		Timestamp: time.Now(), Type: "text", Text: a.text})
	return time.Since(t0), err
}

// ping times one SELECT 1 on the same pool: the baseline.
func (a *assistantRun) ping(ctx context.Context) (time.Duration, error) {
	var one int
	t0 := time.Now()
	err := a.pool.QueryRow(ctx, `SELECT 1`).Scan(&one)
	return time.Since(t0), err
}

// checkFirstAnswer asks once: the answer must be the list of the three
// properties, or the figure would time a shorter path (a question back, a
// menu).
func (a *assistantRun) checkFirstAnswer(ctx context.Context) error {
	if _, err := a.ask(ctx); err != nil {
		return fmt.Errorf("bench: assistant: first message: %w", err)
	}
	var kind, body string
	if err := a.pool.QueryRow(ctx, `SELECT kind, body FROM wa_messages WHERE account_id = $1 AND direction = 'out'
		ORDER BY id DESC LIMIT 1`, a.account).Scan(&kind, &body); err != nil {
		return fmt.Errorf("bench: assistant: the first message queued no reply: %w", err)
	}
	if kind != "list" || bytes.Count([]byte(body), []byte("\n")) != assistantProps+1 {
		return fmt.Errorf("bench: assistant: %q was answered with a %s, not the list of %d properties: %s",
			a.text, kind, assistantProps, truncate(body, 300))
	}
	return nil
}

// warmUp asks and pings for an uncounted second, which warms the pool, the
// caches and the plans.
func (a *assistantRun) warmUp(ctx context.Context) error {
	for warm := time.Now().Add(time.Second); time.Now().Before(warm) && ctx.Err() == nil; {
		if _, err := a.ask(ctx); err != nil {
			return fmt.Errorf("bench: assistant: warm-up: %w", err)
		}
		if _, err := a.ping(ctx); err != nil {
			return fmt.Errorf("bench: assistant: warm-up: %w", err)
		}
	}
	return nil
}

// replies counts the replies queued for the account so far.
func (a *assistantRun) replies(ctx context.Context) (int, error) {
	var n int
	if err := a.pool.QueryRow(ctx, `SELECT count(*) FROM wa_messages WHERE account_id = $1 AND direction = 'out'`,
		a.account).Scan(&n); err != nil {
		return 0, fmt.Errorf("bench: assistant: %w", err)
	}
	return n, nil
}

// measure alternates one question and one SELECT 1 for about d, into res.
func (a *assistantRun) measure(ctx context.Context, d time.Duration, res *assistantResult) {
	start := time.Now()
	for deadline := start.Add(d); time.Now().Before(deadline) && ctx.Err() == nil; {
		for _, m := range []struct {
			call func(context.Context) (time.Duration, error)
			res  *phaseResult
		}{{a.ask, &res.reply}, {a.ping, &res.roundtrip}} {
			lat, err := m.call(ctx)
			if ctx.Err() != nil {
				break
			}
			if err != nil {
				m.res.fail("error", err.Error())
				continue
			}
			m.res.ok++
			m.res.lat = append(m.res.lat, lat)
		}
	}
	res.reply.elapsed = time.Since(start)
	res.roundtrip.elapsed = res.reply.elapsed
}
