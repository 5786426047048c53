package reservations

import "github.com/a-h/templ"

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// ListView is the reservations list: its filter form and one page of results.
type ListView struct {
	Query      string // the search box
	Statuses   []Option
	Properties []Option
	Channels   []Option
	From       string // YYYY-MM-DD, as <input type="date"> wants it
	To         string
	Results    Results
}

// Results is the part of the list htmx replaces when a filter changes.
type Results struct {
	Rows     []ListRow
	Total    int64
	Page     int
	Pages    int
	PrevURL  string // "" on the first page
	NextURL  string // "" on the last page
	CSVURL   string
	Filtered bool
}

// ListRow is one reservation of the list.
type ListRow struct {
	Code        string
	URL         templ.SafeURL
	Property    string
	Guest       string
	CheckIn     string
	CheckOut    string
	Nights      int
	Guests      int
	Channel     string
	Status      string
	StatusLabel string
	Total       string
	Paid        string
}

// DetailView is the page of one reservation.
type DetailView struct {
	Code        string
	BaseURL     string // /admin/reservations/{code}
	Status      string
	StatusLabel string
	Property    string
	CheckIn     string
	CheckOut    string
	Nights      int
	Guests      int
	GuestName   string
	GuestPhone  string
	GuestEmail  string
	Note        string
	Channel     string
	CreatedAt   string
	// HoldExpiresAt and HoldLeft are set for a pre-reserved hold.
	HoldExpiresAt string
	HoldLeft      string

	Price    PriceView
	Payments []PaymentRow
	Audit    []AuditRow
	// Receipts are the bank-transfer receipts to review (receipts.templ).
	Receipts ReceiptsView

	Actions   []string // allowed state machine actions, in order
	CanChange bool     // dates, property and guest count may change
	CanPay    bool
	// DepositCovered marks a hold whose deposit is paid: confirming is the next step.
	DepositCovered bool

	// BalanceLinkURL is the form that makes a Mercado Pago link for the balance.
	BalanceLinkURL string
	// Balance is when the balance is due (a confirmed stay that owes one).
	Balance BalanceView
	// RefundError is a refused refund's reason.
	RefundError string
	// Refunds are the money going back (refunds.templ); RefundsAfter is
	// the newest refund id, sent with the manual refund form.
	Refunds      []RefundRow
	RefundsAfter string

	CSRF    string
	Confirm ConfirmForm
	Cancel  CancelForm
	Guest   GuestForm
	Stay    StayForm
	Payment PaymentForm
	// Money is the damage deposit and the ledger (money.templ).
	Money MoneyView
}

// PriceView is the stored price of the stay, night by night.
type PriceView struct {
	Nights         []NightRow
	NightsSubtotal string
	CleaningFee    string
	HasCleaning    bool
	ExtraGuests    int
	ExtraGuestFee  string
	Total          string
	DepositPercent int
	Deposit        string
	// TotalARS and DepositARS are a foreign-currency stay's amounts in pesos
	// at its locked rate; NoRate says it was held without one.
	TotalARS   string
	DepositARS string
	NoRate     string
	Paid       string
	Balance    string
	BalanceDue bool
}

// NightRow is one night of the price breakdown.
type NightRow struct {
	Date    string
	Weekday string
	Source  string
	Price   string
}

// PaymentRow is one payment received.
type PaymentRow struct {
	When   string
	Method string
	Status string
	Amount string
	Note   string
	By     string
	// Mercado Pago payments: their id and raw status ("approved / accredited"),
	// what was refunded, whether money must go back, and the refund form.
	ProviderID string
	RawStatus  string
	Refunded   string
	RefundDue  bool
	RefundURL  string // set when the owner may refund it
	RefundLeft string // what can still be refunded, as typed in the form ("12.345,67")
}

// AuditRow is one entry of the reservation's history.
type AuditRow struct {
	When string
	Who  string
	What string
}

// ConfirmForm is the note that goes with a confirmation.
type ConfirmForm struct {
	Note  string
	Error string
}

// GuestForm edits the guest's details; values are what the user typed.
type GuestForm struct {
	Name     string
	Phone    string
	Email    string
	Note     string
	Guests   string
	Capacity int
	Errors   map[string]string
}

// StayForm changes dates or property.
type StayForm struct {
	PropertyID string
	Properties []Option
	CheckIn    string
	CheckOut   string
	Errors     map[string]string
}

// PaymentForm records money received by hand.
type PaymentForm struct {
	Amount  string
	Method  string
	Methods []Option
	Note    string
	Errors  map[string]string
}
