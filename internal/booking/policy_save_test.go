package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

// Each save is the next version, keeps a preset's name only while its terms
// are the preset's, writes an audit entry, and the cached property the next
// hold reads has the new terms; a hold made before keeps its frozen copy.
func TestSavePolicy(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{PropertyCache: true})
	ctx := context.Background()
	prop := e.Property(t)
	before, err := e.Booking.LoadProperty(ctx, prop.ID) // now cached
	require.NoError(t, err)
	require.Equal(t, booking.DefaultPolicy(), before.Policy)
	held := e.Hold(t, prop.ID, e.Day(20), e.Day(22))
	require.Equal(t, booking.DefaultPolicy(), *held.Policy)

	pen, _ := booking.Preset(booking.PresetPenitencial)
	saved, err := booking.SavePolicy(ctx, e.Pool, e.Account.ID, prop.ID, pen, "user:1", e.Clock.Now())
	require.NoError(t, err)
	require.Equal(t, booking.PresetPenitencial, saved.Preset)
	require.Equal(t, 2, saved.Version)

	// The cache hears the change a moment after the commit.
	require.Eventually(t, func() bool {
		p, err := e.Booking.LoadProperty(ctx, prop.ID)
		return err == nil && p.Policy.Preset == booking.PresetPenitencial
	}, 10*time.Second, 20*time.Millisecond)
	next := e.Hold(t, prop.ID, e.Day(30), e.Day(32))
	require.Equal(t, saved, *next.Policy, "the next hold freezes the new terms")
	again, err := e.Booking.Get(ctx, held.Code)
	require.NoError(t, err)
	require.Equal(t, booking.DefaultPolicy(), *again.Policy, "an earlier hold keeps its terms")

	// Edited terms under a preset's name are the owner's own.
	edited := pen
	edited.Tiers = []booking.Tier{{DaysBefore: 2, RefundPercent: 100}, {DaysBefore: 10, RefundPercent: 100}}
	saved, err = booking.SavePolicy(ctx, e.Pool, e.Account.ID, prop.ID, edited, "user:1", e.Clock.Now())
	require.NoError(t, err)
	require.Equal(t, booking.PresetCustom, saved.Preset)
	require.Equal(t, 3, saved.Version)
	require.Equal(t, []booking.Tier{{DaysBefore: 10, RefundPercent: 100}, {DaysBefore: 2, RefundPercent: 100}}, saved.Tiers,
		"stored most days first")
	require.Equal(t, booking.SenaPenitencial, saved.Sena)

	var n int
	require.NoError(t, e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE account_id = $1
		AND action = 'policy_changed' AND (detail->>'property_id')::bigint = $2`, e.Account.ID, prop.ID).Scan(&n))
	require.Equal(t, 2, n)
}

// Bad terms are refused field by field and nothing changes; another
// account's property is not found.
func TestSavePolicyRefuses(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	prop := e.Property(t)
	bad := booking.Policy{Preset: booking.PresetModerada, Sena: "doble",
		Tiers:               []booking.Tier{{DaysBefore: 400, RefundPercent: 100}, {DaysBefore: 3, RefundPercent: 120}},
		NoShowRefundPercent: -1}
	_, err := booking.SavePolicy(ctx, e.Pool, e.Account.ID, prop.ID, bad, "user:1", e.Clock.Now())
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, []string{"no_show_refund_percent", "sena", "tiers"}, sortedKeys(verr.Fields))
	require.Contains(t, verr.Fields["tiers"], "de 0 a 365")

	rising := booking.Policy{Sena: booking.SenaNone,
		Tiers: []booking.Tier{{DaysBefore: 10, RefundPercent: 50}, {DaysBefore: 2, RefundPercent: 100}}}
	_, err = booking.SavePolicy(ctx, e.Pool, e.Account.ID, prop.ID, rising, "user:1", e.Clock.Now())
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["tiers"], "no puede devolver más")

	tooMany := booking.Policy{Sena: booking.SenaNone}
	for i := range booking.MaxTiers + 1 {
		tooMany.Tiers = append(tooMany.Tiers, booking.Tier{DaysBefore: 60 - i, RefundPercent: 100})
	}
	_, err = booking.SavePolicy(ctx, e.Pool, e.Account.ID, prop.ID, tooMany, "user:1", e.Clock.Now())
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["tiers"], "Como máximo 6")

	row, err := dbq.New(e.Pool).GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: prop.ID, AccountID: e.Account.ID})
	require.NoError(t, err)
	require.Equal(t, booking.DefaultPolicy(), booking.StoredPolicy(row.CancelPolicy), "nothing written")

	flex, _ := booking.Preset(booking.PresetFlexible)
	_, err = booking.SavePolicy(ctx, e.Pool, e.Account.ID+1000, prop.ID, flex, "user:1", e.Clock.Now())
	require.ErrorIs(t, err, booking.ErrNotFound)
}

// The owner's example table comes from Settle: Moderada refunds everything
// 5 days before, half the day before, nothing on the day; a penitencial
// host pays the seña back twice.
func TestPolicyExamples(t *testing.T) {
	t.Parallel()
	mod, _ := booking.Preset(booking.PresetModerada)
	rows := booking.PolicyExamples(mod)
	require.Len(t, rows, len(booking.ExampleDays)+2)
	byDays := map[int]booking.PolicyExample{}
	for _, r := range rows[:len(booking.ExampleDays)] {
		byDays[r.DaysBefore] = r
	}
	require.Equal(t, booking.ExampleTotal, byDays[5].PaidInFull.Refund)
	require.Equal(t, booking.ExampleTotal/2, byDays[2].PaidInFull.Refund)
	require.Equal(t, booking.ExampleDeposit/2, byDays[1].OnlyDeposit.Refund)
	require.Zero(t, byDays[0].PaidInFull.Refund)
	require.Equal(t, "Cancela el día de llegada", byDays[0].Label)

	pen, _ := booking.Preset(booking.PresetPenitencial)
	rows = booking.PolicyExamples(pen)
	host := rows[len(rows)-1]
	require.Equal(t, booking.PartyHost, host.By)
	require.Equal(t, booking.ExampleTotal+booking.ExampleDeposit, host.PaidInFull.Owed())
	guest30 := rows[0]
	require.Zero(t, guest30.OnlyDeposit.Refund, "the guest who withdraws loses the seña")
	require.Equal(t, booking.ExampleTotal-booking.ExampleDeposit, guest30.PaidInFull.Refund)
}

func TestPolicySummary(t *testing.T) {
	t.Parallel()
	mod, _ := booking.Preset(booking.PresetModerada)
	require.Equal(t, "Cancelación: política Moderada — hasta 5 días antes se devuelve todo; hasta 1 día antes, el 50 %; después, nada.",
		mod.Summary())
	conf, _ := booking.Preset(booking.PresetConfirmatoria)
	require.Equal(t, "Cancelación: política Seña confirmatoria — la seña no se devuelve; hasta 7 días antes se devuelve todo del resto; "+
		"hasta 2 días antes, el 50 %; después, nada.", conf.Summary())
	pen, _ := booking.Preset(booking.PresetPenitencial)
	require.Equal(t, "Cancelación: política Seña penitencial — si cancelás perdés la seña; si cancela el alojamiento, te la devuelve doblada; "+
		"hasta el día de llegada se devuelve todo del resto.", pen.Summary())
}
