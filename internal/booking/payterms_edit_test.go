package booking_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"alojamientos/db/dbq"
	"alojamientos/internal/booking"
	"alojamientos/internal/booking/bookingtest"
)

func TestValidCBU(t *testing.T) {
	t.Parallel()
	require.True(t, booking.ValidCBU("2850590940090418135201"))
	require.True(t, booking.ValidCBU("0000003100010000000009"), "a CVU follows the same rule")
	require.False(t, booking.ValidCBU("2850590940090418135202"), "account check digit")
	require.False(t, booking.ValidCBU("2850591940090418135201"), "bank and branch check digit")
	require.False(t, booking.ValidCBU("285059094009041813520"), "21 digits")
	require.False(t, booking.ValidCBU("285059094009041813520a"))
}

func TestValidCUIT(t *testing.T) {
	t.Parallel()
	require.True(t, booking.ValidCUIT("20123456786"))
	require.False(t, booking.ValidCUIT("20123456787"))
	require.False(t, booking.ValidCUIT("2012345678"))
}

func TestPercentBasisPoints(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"": 0, "0": 0, "6": 600, "3,5": 350, "3.25": 325, "6 %": 600, "30": 3000} {
		got, ok := booking.ParsePercentBP(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, in := range []string{"abc", "3,555", "-1", ",5", "1e3"} {
		_, ok := booking.ParsePercentBP(in)
		require.False(t, ok, in)
	}
	require.Equal(t, "6", booking.FormatPercentBP(600))
	require.Equal(t, "3,5", booking.FormatPercentBP(350))
	require.Equal(t, "3,25", booking.FormatPercentBP(325))
	require.Equal(t, "0,05", booking.FormatPercentBP(5))
}

func validTerms() booking.PaymentTermsInput {
	return booking.PaymentTermsInput{MercadoPago: true, Transfer: true, Cash: true, Surcharge: "3,5",
		MaxInstallments: "6", CBU: "285-0590-9 40090418135201", Alias: "cabana.bosque", Holder: " Ana Pérez ",
		CUIT: "20-12345678-6", Bank: "Banco Macro", InPesos: true, BalanceDueDays: "7", ReceiptHoldHours: "12"}
}

func TestPaymentTermsCheck(t *testing.T) {
	t.Parallel()
	got, err := validTerms().Check()
	require.NoError(t, err)
	require.Equal(t, booking.PaymentTerms{MercadoPago: true, Transfer: true, Cash: true, SurchargeBP: 350,
		MaxInstallments: 6, Account: booking.TransferAccount{CBU: "2850590940090418135201", Alias: "cabana.bosque",
			Holder: "Ana Pérez", CUIT: "20123456786", Bank: "Banco Macro", InPesos: true},
		BalanceDueDays: 7, ReceiptHoldHours: 12}, got)
	require.Equal(t, got, mustCheck(t, booking.InputFromTerms(got)), "the form shows what it saves")

	bad := booking.PaymentTermsInput{Transfer: true, Surcharge: "31", MaxInstallments: "25",
		CBU: "2850590940090418135202", Alias: "ñandú", CUIT: "20123456787", BalanceDueDays: "0", ReceiptHoldHours: "200"}
	_, err = bad.Check()
	var verr *booking.ValidationError
	require.ErrorAs(t, err, &verr)
	require.Equal(t, []string{"balance_due_days", "mp_max_installments", "mp_surcharge", "receipt_hold_hours",
		"transfer_alias", "transfer_cbu", "transfer_cuit", "transfer_holder"}, sortedKeys(verr.Fields))
	require.Contains(t, verr.Fields["transfer_cbu"], "dígitos verificadores")

	none := validTerms()
	none.MercadoPago, none.Transfer, none.Cash = false, false, false
	_, err = none.Check()
	require.ErrorAs(t, err, &verr)
	require.Equal(t, "Elegí al menos un medio de cobro.", verr.Fields["methods"])

	noAccount := validTerms()
	noAccount.CBU, noAccount.Alias = "", ""
	_, err = noAccount.Check()
	require.ErrorAs(t, err, &verr)
	require.Contains(t, verr.Fields["transfer_cbu"], "Para ofrecer transferencia")

	arrival := validTerms()
	arrival.BalanceAtArrival, arrival.BalanceDueDays = true, "nada"
	require.Zero(t, mustCheck(t, arrival).BalanceDueDays, "al llegar ignores the days")
}

func mustCheck(t *testing.T, in booking.PaymentTermsInput) booking.PaymentTerms {
	t.Helper()
	got, err := in.Check()
	require.NoError(t, err)
	return got
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Saved terms are what a new hold loads; another account's property is not found.
func TestSavePaymentTerms(t *testing.T) {
	t.Parallel()
	e := bookingtest.New(t, bookingtest.Options{})
	ctx := context.Background()
	p := e.Property(t)
	require.NoError(t, booking.SavePaymentTerms(ctx, e.Pool, e.Account.ID, p.ID, validTerms()))
	loaded, err := e.Booking.LoadProperty(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, mustCheck(t, validTerms()), loaded.Pay)
	row, err := dbq.New(e.Pool).GetAccountProperty(ctx, dbq.GetAccountPropertyParams{ID: p.ID, AccountID: e.Account.ID})
	require.NoError(t, err)
	require.Equal(t, loaded.Pay, booking.TermsOfAccountProperty(row))

	require.ErrorIs(t, booking.SavePaymentTerms(ctx, e.Pool, e.Account.ID+1000, p.ID, validTerms()), booking.ErrNotFound)
}
