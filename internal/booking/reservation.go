package booking

import (
	"time"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Status is a reservation's state.
type Status string

// The reservation states of DESIGN.md.
const (
	StatusPreReserved Status = "pre_reserved"
	StatusConfirmed   Status = "confirmed"
	StatusCheckedIn   Status = "checked_in"
	StatusCompleted   Status = "completed"
	StatusExpired     Status = "expired"
	StatusCancelled   Status = "cancelled"
	StatusNoShow      Status = "no_show"
)

// Reservation is a stay as the rest of the program sees it.
type Reservation struct {
	ID            int64
	Code          string
	AccountID     int64
	PropertyID    int64
	PropertyName  string
	PropertySlug  string
	OccupancyID   int64
	CheckIn       time.Time
	CheckOut      time.Time
	Guests        int
	GuestName     string
	GuestPhone    string
	GuestEmail    string
	Note          string
	Channel       string
	Status        Status
	HoldExpiresAt *time.Time
	Total         money.Money
	Deposit       money.Money
	Paid          money.Money
	Currency      string
	GuestToken    string
	// Rate is the exchange rate locked on the hold (a foreign currency);
	// nil for pesos, or "sin cotización" when there was no rate then.
	Rate *LockedRate
	// PaymentMethod is the method the guest chose ("" when none yet).
	PaymentMethod string
	// SurchargeBP, MaxInstallments and BalanceDueDays are the payment terms frozen on the hold.
	SurchargeBP     int
	MaxInstallments int
	BalanceDueDays  int
	// Policy is the cancellation policy frozen on the hold; nil for a stay
	// held before policies existed or imported from a channel.
	Policy          *Policy
	TermsAcceptedAt *time.Time
	// DamageDeposit and DamageDepositMethod are the property's deposit
	// against damage frozen on the hold (0 and "" when it asks none).
	DamageDeposit       money.Money
	DamageDepositMethod string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Nights is the number of nights of the stay.
func (r Reservation) Nights() int { return NightsBetween(r.CheckIn, r.CheckOut) }

func fromRow(r dbq.Reservation) Reservation {
	return Reservation{
		ID: r.ID, Code: r.Code, AccountID: r.AccountID, PropertyID: r.PropertyID, OccupancyID: r.OccupancyID,
		CheckIn: r.CheckIn, CheckOut: r.CheckOut, Guests: int(r.Guests), GuestName: r.GuestName,
		GuestPhone: r.GuestPhone, GuestEmail: r.GuestEmail, Note: r.Note, Channel: r.Channel,
		Status: Status(r.Status), HoldExpiresAt: r.HoldExpiresAt, Total: r.Total, Deposit: r.Deposit,
		Paid: r.Paid, Currency: r.Currency, GuestToken: r.GuestToken, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		Rate:          lockedFromRow(r.Currency, r.ExchangeRateE4, r.ExchangeRateSource, r.ExchangeRateAt),
		PaymentMethod: r.PaymentMethod, SurchargeBP: int(r.MpSurchargeBp), MaxInstallments: int(r.MpMaxInstallments),
		BalanceDueDays: int(r.BalanceDueDays), TermsAcceptedAt: r.TermsAcceptedAt,
		DamageDeposit: r.DamageDeposit, DamageDepositMethod: r.DamageDepositMethod,
		Policy: frozenPolicy(r.CancelPolicy),
	}
}

// frozenPolicy reads a reservation's frozen policy; an unreadable one
// (never written by this program) counts as none.
func frozenPolicy(raw []byte) *Policy {
	p, ok, err := ParsePolicy(raw)
	if err != nil || !ok {
		return nil
	}
	return &p
}

// BalanceDue is the date the stay's balance is due (see BalanceDue); the
// day it was booked is taken in UTC, which at worst moves a due date that
// falls before the booking by a day.
func (r Reservation) BalanceDue() time.Time {
	c := r.CreatedAt.UTC()
	return BalanceDue(r.CheckIn, time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC), r.BalanceDueDays)
}
