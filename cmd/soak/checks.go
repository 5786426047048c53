package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"alojamientos/db"
)

// check is one invariant's verdict.
type check struct {
	name   string
	pass   bool
	detail string
}

func (c check) String() string {
	v := "PASS"
	if !c.pass {
		v = "FAIL"
	}
	return fmt.Sprintf("%s  %s: %s", v, c.name, c.detail)
}

// drainDone says whether the system has finished what the load started:
// inbox processed, no due jobs, no queued WhatsApp sends, no overdue hold.
func drainState(ctx context.Context, pool *db.Pool) (string, bool, error) {
	var inbox, due, running, queued, overdue int
	err := pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM webhook_inbox WHERE processed_at IS NULL),
		(SELECT count(*) FROM river_job WHERE state IN ('available', 'retryable', 'scheduled') AND scheduled_at <= now()),
		(SELECT count(*) FROM river_job WHERE state = 'running'),
		(SELECT count(*) FROM wa_messages WHERE status IN ('queued', 'sending')),
		(SELECT count(*) FROM reservations r JOIN occupancy o ON o.id = r.occupancy_id
			WHERE r.status = 'pre_reserved' AND r.hold_expires_at <= now() AND o.active)`).
		Scan(&inbox, &due, &running, &queued, &overdue)
	if err != nil {
		return "", false, err
	}
	s := fmt.Sprintf("inbox unprocessed %d, jobs due %d, running %d, WhatsApp sends queued %d, overdue holds %d",
		inbox, due, running, queued, overdue)
	return s, inbox == 0 && due == 0 && queued == 0 && overdue == 0 && running == 0, nil
}

// invariants checks with SQL what the load must have left behind.
func (s *soak) invariants(ctx context.Context) []check {
	var l checklist
	s.checkNights(ctx, &l)
	s.checkHolds(ctx, &l)
	s.checkPayments(ctx, &l)
	s.checkWhatsApp(ctx, &l)
	s.checkSends(ctx, &l)
	s.checkJobs(ctx, &l)
	s.checkExpiry(ctx, &l)
	return l.out
}

// checklist collects the verdicts in the order they are printed.
type checklist struct{ out []check }

func (l *checklist) add(name string, pass bool, format string, args ...any) {
	l.out = append(l.out, check{name, pass, fmt.Sprintf(format, args...)})
}

// fail records a check whose query failed: a failure, not a pass.
func (l *checklist) fail(name string, err error) { l.add(name, false, "query failed: %v", err) }

// checkNights: no two active stays share a night, and a reservation holds
// nights exactly while it is live.
func (s *soak) checkNights(ctx context.Context, l *checklist) {
	var overlaps, occRows int
	if err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM occupancy a JOIN occupancy b ON a.property_id = b.property_id AND a.id < b.id
			WHERE a.active AND b.active AND a.nights && b.nights),
		(SELECT count(*) FROM occupancy WHERE active)`).Scan(&overlaps, &occRows); err != nil {
		l.fail("no overlapping active nights", err)
	} else {
		l.add("no overlapping active nights", overlaps == 0, "%d overlapping pairs among %d active occupancy rows", overlaps, occRows)
	}
	var liveFree, deadHeld int
	if err := s.pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE r.status IN ('pre_reserved', 'confirmed', 'checked_in') AND NOT o.active),
		count(*) FILTER (WHERE r.status IN ('expired', 'cancelled', 'no_show') AND o.active)
		FROM reservations r JOIN occupancy o ON o.id = r.occupancy_id`).Scan(&liveFree, &deadHeld); err != nil {
		l.fail("reservations and their nights agree", err)
	} else {
		l.add("reservations and their nights agree", liveFree == 0 && deadHeld == 0,
			"%d live reservations without active nights, %d expired/cancelled still holding nights", liveFree, deadHeld)
	}
}

// checkHolds: every hold answered 201 is a reservation, once, on the nights
// asked for, and no collision round had two winners.
func (s *soak) checkHolds(ctx context.Context, l *checklist) {
	s.mu.Lock()
	holds := slices.Collect(maps.Values(s.holds))
	multi := slices.Clone(s.raceMulti)
	rounds := s.raceRounds
	s.mu.Unlock()
	codes := make([]string, len(holds))
	for i, h := range holds {
		codes[i] = h.code
	}
	found := map[string]string{}
	rows, err := s.pool.Query(ctx, `SELECT code, property_id || ' ' || check_in || ' ' || check_out FROM reservations WHERE code = ANY($1)`, codes)
	if err == nil {
		for rows.Next() {
			var c, what string
			if err = rows.Scan(&c, &what); err != nil {
				break
			}
			found[c] = what
		}
		rows.Close()
		err = rows.Err()
	}
	if err != nil {
		l.fail("every hold answered 201 is stored", err)
	} else {
		lost, wrong := 0, 0
		var sample string
		for _, h := range holds {
			got, ok := found[h.code]
			switch {
			case !ok:
				lost++
				sample = h.code + " missing"
			case got != fmt.Sprintf("%d %s %s", h.prop, h.checkIn, h.checkOut):
				wrong++
				sample = h.code + " stored as " + got
			}
		}
		l.add("every hold answered 201 is stored", lost == 0 && wrong == 0, "%d holds answered 201, %d missing, %d on other nights%s",
			len(holds), lost, wrong, suffix(sample))
	}
	l.add("collision rounds have one winner at most", len(multi) == 0, "%d rounds of 16 simultaneous requests, %d with several winners%s",
		rounds, len(multi), suffix(strings.Join(multi, "; ")))
}

// payRow is what the database says of one Mercado Pago payment and its
// reservation.
type payRow struct {
	code, pstatus, rstatus string
	refundDue              bool
	confirms, conflicts    int
}

// checkPayments: every payment the fake approved and notified confirmed its
// reservation exactly once, or was flagged (refund due, conflict); and no
// reservation was confirmed twice.
func (s *soak) checkPayments(ctx context.Context, l *checklist) {
	s.mu.Lock()
	approved := maps.Clone(s.approved)
	s.mu.Unlock()
	pays, err := s.payments(ctx, slices.Collect(maps.Keys(approved)))
	if err != nil {
		l.fail("every approved payment confirmed once or flagged", err)
	} else {
		judgePayments(l, approved, pays)
	}
	var twice int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT reservation_id FROM audit_log WHERE action = 'confirm'
		GROUP BY reservation_id HAVING count(*) > 1) x`).Scan(&twice); err != nil {
		l.fail("no reservation confirmed twice", err)
	} else {
		l.add("no reservation confirmed twice", twice == 0, "%d reservations with more than one 'confirm' audit entry", twice)
	}
}

// payments reads the Mercado Pago payments of the given provider ids, by id.
func (s *soak) payments(ctx context.Context, pids []string) (map[string]payRow, error) {
	pays := map[string]payRow{}
	rows, err := s.pool.Query(ctx, `SELECT p.provider_id, r.code, p.status, r.status, p.refund_due,
			(SELECT count(*) FROM audit_log a WHERE a.reservation_id = r.id AND a.action = 'confirm'),
			(SELECT count(*) FROM conflicts c WHERE c.reservation_id = r.id AND c.kind LIKE 'payment%')
		FROM payments p JOIN reservations r ON r.id = p.reservation_id
		WHERE p.provider = 'mercadopago' AND p.provider_id = ANY($1)`, pids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		var r payRow
		if err := rows.Scan(&pid, &r.code, &r.pstatus, &r.rstatus, &r.refundDue, &r.confirms, &r.conflicts); err != nil {
			return nil, err
		}
		pays[pid] = r
	}
	return pays, rows.Err()
}

// judgePayments compares the approved payments (provider id → reservation
// code) with what the database recorded.
func judgePayments(l *checklist, approved map[string]string, pays map[string]payRow) {
	confirmed, flagged, lost, bad := 0, 0, 0, 0
	var sample string
	for pid, code := range approved {
		r, ok := pays[pid]
		switch {
		case !ok:
			lost++
			sample = "payment " + pid + " of " + code + " not recorded"
		case r.code != code:
			bad++
			sample = "payment " + pid + " recorded on " + r.code + ", not " + code
		case r.pstatus != "approved":
			bad++
			sample = fmt.Sprintf("payment %s of %s is %s (was approved)", pid, code, r.pstatus)
		case r.confirms == 1 && (r.rstatus == "confirmed" || r.rstatus == "checked_in" || r.rstatus == "completed"):
			confirmed++
		case r.confirms <= 1 && (r.refundDue || r.conflicts > 0):
			flagged++
		default:
			bad++
			sample = fmt.Sprintf("payment %s: %s is %s with %d confirm entries, refund due %v, %d conflicts",
				pid, code, r.rstatus, r.confirms, r.refundDue, r.conflicts)
		}
	}
	l.add("every approved payment confirmed once or flagged", lost == 0 && bad == 0,
		"%d approved and notified: %d confirmed exactly once, %d flagged (refund due / conflict), %d lost, %d wrong%s",
		len(approved), confirmed, flagged, lost, bad, suffix(sample))
}

// checkWhatsApp: every message delivered with a 200 is stored once,
// processed and answered.
func (s *soak) checkWhatsApp(ctx context.Context, l *checklist) {
	s.mu.Lock()
	wamids := slices.Collect(maps.Keys(s.waSent))
	s.mu.Unlock()
	var stored, inboxRows, unprocessed, unanswered int
	if err := s.pool.QueryRow(ctx, `WITH sent AS (SELECT unnest($1::text[]) AS wamid)
		SELECT
			(SELECT count(*) FROM wa_messages m JOIN sent USING (wamid) WHERE m.direction = 'in'),
			(SELECT count(*) FROM webhook_inbox i JOIN sent ON i.event_key = 'msg:' || sent.wamid WHERE i.provider = 'whatsapp'),
			(SELECT count(*) FROM webhook_inbox i JOIN sent ON i.event_key = 'msg:' || sent.wamid
				WHERE i.provider = 'whatsapp' AND i.processed_at IS NULL),
			-- Answered: a reply keyed by the message, or (for the message that
			-- placed a hold) the hold's notice with the deposit link.
			(SELECT count(*) FROM wa_messages m JOIN sent USING (wamid) WHERE m.direction = 'in'
				AND NOT EXISTS (SELECT 1 FROM wa_messages o WHERE o.direction = 'out'
					AND o.event_key LIKE 'reply:' || m.wamid || ':%')
				AND NOT EXISTS (SELECT 1 FROM wa_messages o WHERE o.direction = 'out' AND o.conversation_id = m.conversation_id
					AND o.event_key LIKE 'hold\_created:%' AND o.created_at >= m.created_at))`, wamids).
		Scan(&stored, &inboxRows, &unprocessed, &unanswered); err != nil {
		l.fail("every inbound WhatsApp message stored once and processed", err)
	} else {
		l.add("every inbound WhatsApp message stored once and processed",
			stored == len(wamids) && inboxRows == len(wamids) && unprocessed == 0,
			"%d distinct messages delivered: %d stored, %d inbox rows, %d unprocessed", len(wamids), stored, inboxRows, unprocessed)
		l.add("every inbound WhatsApp message answered", unanswered == 0, "%d of %d messages without a reply", unanswered, len(wamids))
	}
}

// checkSends: the server sent no WhatsApp message twice.
func (s *soak) checkSends(ctx context.Context, l *checklist) {
	// A send the server repeated gets a second wamid from the fake, which
	// no message row records (a row keeps one): an unrecorded send with the
	// same recipient and body as a recorded one is a duplicate.
	sent := s.graph.Sent()
	var fakeIDs []string
	for _, m := range sent {
		fakeIDs = append(fakeIDs, m.WAMID)
	}
	rec := map[string]bool{}
	rows, err := s.pool.Query(ctx, `SELECT wamid FROM wa_messages WHERE direction = 'out' AND wamid = ANY($1)`, fakeIDs)
	if err == nil {
		for rows.Next() {
			var id string
			if err = rows.Scan(&id); err != nil {
				break
			}
			rec[id] = true
		}
		rows.Close()
		err = rows.Err()
	}
	if err != nil {
		l.fail("no WhatsApp message sent twice", err)
	} else {
		type key struct{ to, raw string }
		recorded := map[key]bool{}
		for _, m := range sent {
			if rec[m.WAMID] {
				recorded[key{m.To, string(m.Raw)}] = true
			}
		}
		dups, unknown := 0, 0
		var sample string
		for _, m := range sent {
			if rec[m.WAMID] {
				continue
			}
			if recorded[key{m.To, string(m.Raw)}] {
				dups++
				sample = "to " + m.To + ": " + truncate(string(m.Raw), 160)
			} else {
				unknown++
			}
		}
		l.add("no WhatsApp message sent twice", dups == 0,
			"the fake Graph API accepted %d sends: %d recorded on their message row, %d repeats of a recorded send, %d unrecorded otherwise%s",
			len(sent), len(rec), dups, unknown, suffix(sample))
	}
}

// checkJobs: no River job is stuck running, left due, or discarded.
func (s *soak) checkJobs(ctx context.Context, l *checklist) {
	var stuck, backlog int
	if err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM river_job WHERE state = 'running' AND attempted_at < now() - interval '1 minute'),
		(SELECT count(*) FROM river_job WHERE state IN ('available', 'retryable', 'scheduled') AND scheduled_at <= now() - interval '10 seconds')`).
		Scan(&stuck, &backlog); err != nil {
		l.fail("no job stuck", err)
	} else {
		detail := fmt.Sprintf("%d running for over a minute, %d due but not taken", stuck, backlog)
		if k := s.jobKinds(ctx, `state = 'running' AND attempted_at < now() - interval '1 minute'`); k != "" {
			detail += "; stuck: " + k
		}
		if k := s.jobKinds(ctx, `state IN ('retryable', 'scheduled') AND scheduled_at > now()`); k != "" {
			detail += "; waiting to retry later (not counted): " + k
		}
		l.add("no job stuck", stuck == 0 && backlog == 0, "%s", detail)
	}
	var discarded int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'discarded'`).Scan(&discarded); err != nil {
		l.fail("no job discarded", err)
	} else {
		l.add("no job discarded", discarded == 0, "%d discarded%s", discarded, suffix(s.jobKinds(ctx, `state = 'discarded'`)))
	}
}

// checkExpiry: no hold past its expiry still holds nights.
func (s *soak) checkExpiry(ctx context.Context, l *checklist) {
	var overdue, shortHolds, expired int
	if err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM reservations r JOIN occupancy o ON o.id = r.occupancy_id
			WHERE r.status = 'pre_reserved' AND r.hold_expires_at <= now() AND o.active),
		(SELECT count(*) FROM reservations r JOIN properties p ON p.id = r.property_id WHERE p.hold_minutes = 1),
		(SELECT count(*) FROM reservations WHERE status = 'expired')`).Scan(&overdue, &shortHolds, &expired); err != nil {
		l.fail("no hold past its expiry still holding nights", err)
	} else {
		l.add("no hold past its expiry still holding nights", overdue == 0,
			"%d overdue holds with active nights (%d holds on one-minute properties, %d expired in all)", overdue, shortHolds, expired)
	}
}

// jobKinds lists the kinds (and a last error) of the jobs matching where.
func (s *soak) jobKinds(ctx context.Context, where string) string {
	rows, err := s.pool.Query(ctx, `SELECT kind, state, count(*), coalesce(max(errors[array_length(errors, 1)]->>'error'), '')
		FROM river_job WHERE `+where+` GROUP BY kind, state ORDER BY kind`)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var kind, state, last string
		var n int
		if err := rows.Scan(&kind, &state, &n, &last); err != nil {
			return "(" + err.Error() + ")"
		}
		p := fmt.Sprintf("%s %s ×%d", kind, state, n)
		if last != "" {
			p += " (last error: " + truncate(last, 100) + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " — e.g. " + truncate(s, 300)
}

// waitDrain polls until the system has finished the load's work (at least
// minWait after the load, for the one-minute holds to pass their expiry),
// or maxWait.
func (s *soak) waitDrain(ctx context.Context, start time.Time, minWait, maxWait time.Duration) {
	t0 := time.Now()
	last, lastSaid := "", time.Time{}
	for {
		st, done, err := drainState(ctx, s.pool)
		if err != nil {
			st = "error: " + err.Error()
		}
		if st != last && time.Since(lastSaid) >= 10*time.Second || done && st != last {
			say(start, "drain: %s", st)
			last, lastSaid = st, time.Now()
		}
		if done && time.Since(t0) >= minWait {
			say(start, "drained after %.0f s", time.Since(t0).Seconds())
			return
		}
		if time.Since(t0) >= maxWait {
			say(start, "drain gave up after %.0f s: %s", time.Since(t0).Seconds(), st)
			return
		}
		if !sleepCtx(ctx, time.Second) {
			return
		}
	}
}

// lags reads from the database how long the work behind the webhooks
// waited: a WhatsApp message to its first reply sent, a Mercado Pago
// notification to its processing. Figures, not invariants.
func (s *soak) lags(ctx context.Context) string {
	s.mu.Lock()
	wamids := slices.Collect(maps.Keys(s.waSent))
	s.mu.Unlock()
	var wa50, wa99, waMax, mp50, mp99, mpMax float64
	var waN, mpN int
	err := s.pool.QueryRow(ctx, `WITH lat AS (
			SELECT extract(epoch FROM o.sent_at - m.created_at) AS s
			FROM wa_messages m JOIN wa_messages o ON o.account_id = m.account_id AND o.event_key = 'reply:' || m.wamid || ':0'
			WHERE m.direction = 'in' AND m.wamid = ANY($1) AND o.sent_at IS NOT NULL)
		SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY s), 0),
			coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY s), 0), coalesce(max(s), 0) FROM lat`, wamids).
		Scan(&waN, &wa50, &wa99, &waMax)
	if err != nil {
		return "lags: " + err.Error()
	}
	err = s.pool.QueryRow(ctx, `WITH lat AS (
			SELECT extract(epoch FROM processed_at - received_at) AS s FROM webhook_inbox
			WHERE provider = 'mercadopago' AND processed_at IS NOT NULL)
		SELECT count(*), coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY s), 0),
			coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY s), 0), coalesce(max(s), 0) FROM lat`).
		Scan(&mpN, &mp50, &mp99, &mpMax)
	if err != nil {
		return "lags: " + err.Error()
	}
	return fmt.Sprintf("WhatsApp message → first reply sent: %d replies, p50 %.1f s, p99 %.1f s, max %.1f s\n"+
		"Mercado Pago notification → processed: %d notifications, p50 %.1f s, p99 %.1f s, max %.1f s",
		waN, wa50, wa99, waMax, mpN, mp50, mp99, mpMax)
}
