package booking

import (
	"context"
	"time"

	"alojamientos/db/dbq"
)

// RecordManualPaymentTx records a payment received by hand inside the
// caller's transaction (q runs on it), as AddManualPayment does in its own:
// it validates mp, locks the reservation, refuses a cancelled one
// (*TransitionError) and an amount above what is due (*ValidationError),
// inserts the payment, adds it to paid and writes the audit entry. It
// returns the reservation after the payment and the payment's id. After the
// commit, call ConfirmIfDepositPaid with that reservation. internal/receipts
// uses it to record a confirmed bank-transfer receipt in the same
// transaction as the receipt's review.
func RecordManualPaymentTx(ctx context.Context, q *dbq.Queries, mp ManualPayment, now time.Time) (dbq.Reservation, int64, error) {
	if err := mp.validate(); err != nil {
		return dbq.Reservation{}, 0, err
	}
	return recordManualPayment(ctx, q, mp, now)
}

// ConfirmIfDepositPaid confirms a pre-reserved or expired hold whose paid
// amount (after, as RecordManualPaymentTx returned it) now covers its
// deposit, through Transition, and says what happened. Failures are logged,
// not returned: the payment is already stored.
func (s *Service) ConfirmIfDepositPaid(ctx context.Context, after dbq.Reservation, actor string) PaymentResult {
	return s.confirmIfDepositPaid(ctx, after, actor)
}
