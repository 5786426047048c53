package booking

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"alojamientos/db"
	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

// Limits of the payment terms an owner sets (the schema's, migration 00020).
const (
	MaxSurchargeBP      = 3000 // 30 %
	MaxInstallments     = 24
	MaxBalanceDueDays   = 365
	MaxReceiptHoldHours = 168 // a week
	maxHolderLen        = 200
	maxBankLen          = 100
)

// PaymentTermsInput is the owner's "Cobros" form as typed, checked by Check.
type PaymentTermsInput struct {
	MercadoPago, Transfer, Cash bool
	// Surcharge is a percentage with up to two decimals, es-AR style ("6", "3,5").
	Surcharge       string
	MaxInstallments string // 0 or empty: what Mercado Pago offers
	CBU, Alias      string
	Holder, CUIT    string
	Bank            string
	InPesos         bool
	// BalanceAtArrival: the balance is paid on arrival; otherwise
	// BalanceDueDays days before it.
	BalanceAtArrival bool
	BalanceDueDays   string
	ReceiptHoldHours string
	// DamageDeposit is the deposit against damage as typed ("50.000", empty
	// or 0 for none) and DamageDepositMethod how it is collected.
	DamageDeposit       string
	DamageDepositMethod string
}

// InputFromTerms fills the form with stored terms.
func InputFromTerms(t PaymentTerms) PaymentTermsInput {
	in := PaymentTermsInput{MercadoPago: t.MercadoPago, Transfer: t.Transfer, Cash: t.Cash,
		Surcharge: FormatPercentBP(t.SurchargeBP), MaxInstallments: strconv.Itoa(t.MaxInstallments),
		CBU: t.Account.CBU, Alias: t.Account.Alias, Holder: t.Account.Holder, CUIT: t.Account.CUIT,
		Bank: t.Account.Bank, InPesos: t.Account.InPesos, BalanceAtArrival: t.BalanceDueDays == 0,
		ReceiptHoldHours: strconv.Itoa(t.ReceiptHoldHours), DamageDepositMethod: t.DamageDepositMethod}
	if t.DamageDeposit > 0 {
		in.DamageDeposit = t.DamageDeposit.Display()
	}
	if t.BalanceDueDays > 0 {
		in.BalanceDueDays = strconv.Itoa(t.BalanceDueDays)
	}
	return in
}

// Check validates every field at once; field names in the error are the form's.
func (in PaymentTermsInput) Check() (PaymentTerms, error) {
	var verr ValidationError
	t := PaymentTerms{MercadoPago: in.MercadoPago, Transfer: in.Transfer, Cash: in.Cash}
	if !t.MercadoPago && !t.Transfer && !t.Cash {
		verr.add("methods", "Elegí al menos un medio de cobro.")
	}
	bp, ok := ParsePercentBP(in.Surcharge)
	if !ok || bp > MaxSurchargeBP {
		verr.add("mp_surcharge", "Ingresá un porcentaje de 0 a 30, por ejemplo 6 o 3,5.")
	}
	t.SurchargeBP = bp
	if strings.TrimSpace(in.MaxInstallments) != "" {
		t.MaxInstallments = intField(&verr, "mp_max_installments", in.MaxInstallments, 0, MaxInstallments,
			"Ingresá de 1 a 24 cuotas, o 0 para las que ofrezca Mercado Pago.")
	}
	t.Account = in.account(&verr)
	if t.Transfer {
		if t.Account.CBU == "" && t.Account.Alias == "" {
			verr.add("transfer_cbu", "Para ofrecer transferencia cargá el CBU/CVU o el alias de la cuenta.")
		}
		if t.Account.Holder == "" {
			verr.add("transfer_holder", "Para ofrecer transferencia cargá el titular de la cuenta.")
		}
	}
	if !in.BalanceAtArrival {
		t.BalanceDueDays = intField(&verr, "balance_due_days", in.BalanceDueDays, 1, MaxBalanceDueDays,
			"Ingresá de 1 a 365 días antes de la llegada, o elegí «al llegar».")
	}
	t.ReceiptHoldHours = intField(&verr, "receipt_hold_hours", in.ReceiptHoldHours, 0, MaxReceiptHoldHours,
		"Ingresá de 0 a 168 horas (una semana).")
	t.DamageDeposit, t.DamageDepositMethod = in.deposit(&verr)
	return t, verr.orNil()
}

// account checks the transfer account's fields; empty ones are allowed here
// (Check says when they are needed).
func (in PaymentTermsInput) account(verr *ValidationError) TransferAccount {
	a := TransferAccount{CBU: digitsOnly(in.CBU), Alias: strings.TrimSpace(in.Alias),
		Holder: strings.TrimSpace(in.Holder), CUIT: digitsOnly(in.CUIT), Bank: strings.TrimSpace(in.Bank), InPesos: in.InPesos}
	switch {
	case a.CBU == "" && strings.TrimSpace(in.CBU) != "":
		verr.add("transfer_cbu", "El CBU/CVU son 22 números.")
	case a.CBU != "" && !ValidCBU(a.CBU):
		verr.add("transfer_cbu", "Ese CBU/CVU no es válido: revisá los 22 números (no coinciden sus dígitos verificadores).")
	}
	if a.Alias != "" && !aliasRe.MatchString(a.Alias) {
		verr.add("transfer_alias", "El alias tiene de 6 a 20 caracteres: letras sin acentos, números, puntos y guiones.")
	}
	switch {
	case a.CUIT == "" && strings.TrimSpace(in.CUIT) != "":
		verr.add("transfer_cuit", "La CUIT son 11 números, por ejemplo 20-12345678-6.")
	case a.CUIT != "" && !ValidCUIT(a.CUIT):
		verr.add("transfer_cuit", "Esa CUIT no es válida: revisá los 11 números (no coincide su dígito verificador).")
	}
	textField(verr, "transfer_holder", a.Holder, maxHolderLen)
	textField(verr, "transfer_bank", a.Bank, maxBankLen)
	return a
}

// deposit checks the damage deposit: an amount of 0 or more (empty is none)
// and one of DepositMethods ("" is cash, the schema's default, when saved).
func (in PaymentTermsInput) deposit(verr *ValidationError) (money.Money, string) {
	method := in.DamageDepositMethod
	if method != "" && !slices.Contains(DepositMethods, method) {
		verr.add("damage_deposit_method", "Elegí cómo se cobra el depósito: en efectivo al llegar, por transferencia o junto con el saldo.")
	}
	if strings.TrimSpace(in.DamageDeposit) == "" {
		return 0, method
	}
	amount, err := money.ParseInput(in.DamageDeposit)
	switch {
	case err != nil || amount < 0:
		verr.add("damage_deposit", "Escribí el monto del depósito, por ejemplo 50.000, o 0 si no pedís depósito.")
	case amount > money.Max:
		verr.add("damage_deposit", "El monto del depósito es demasiado alto.")
	default:
		return amount, method
	}
	return 0, method
}

var aliasRe = regexp.MustCompile(`^[A-Za-z0-9.-]{6,20}$`)

// digitsOnly drops the spaces, hyphens, dots and slashes people type in a
// CBU or a CUIT; anything else left makes it "" (not a number).
func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '/':
		default:
			return ""
		}
	}
	return b.String()
}

// ValidCBU checks a CBU or CVU: 22 digits in two blocks, each ending in the
// BCRA's check digit (weights 7-1-3-9 repeated, modulo 10): the bank and
// branch (7 digits and a check digit), then the account (13 and one).
func ValidCBU(s string) bool {
	if len(s) != 22 || digitsOnly(s) != s {
		return false
	}
	return mod10Check(s[:8], []int{7, 1, 3, 9, 7, 1, 3}) &&
		mod10Check(s[8:], []int{3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3})
}

// mod10Check says whether block's last digit is (10 - Σ digit×weight mod 10) mod 10.
func mod10Check(block string, weights []int) bool {
	sum := 0
	for i, w := range weights {
		sum += int(block[i]-'0') * w
	}
	return int(block[len(block)-1]-'0') == (10-sum%10)%10
}

// ValidCUIT checks a CUIT or CUIL: 11 digits whose last is the modulo-11
// check digit of the first ten (weights 5-4-3-2-7-6-5-4-3-2; 11 - sum mod 11,
// where 11 is 0 and 10 has no valid CUIT).
func ValidCUIT(s string) bool {
	if len(s) != 11 || digitsOnly(s) != s {
		return false
	}
	sum := 0
	for i, w := range []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2} {
		sum += int(s[i]-'0') * w
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check < 10 && int(s[10]-'0') == check
}

// ParsePercentBP reads a percentage with at most two decimals ("6", "3,5",
// "3.25", "6 %") as basis points; empty is 0.
func ParsePercentBP(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 3 || len(frac) > 2 || digitsOnly(whole) != whole || digitsOnly(frac) != frac {
		return 0, false
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi((frac + "00")[:2])
	return w*100 + f, true
}

// FormatPercentBP writes basis points as the form shows them: 600 → "6",
// 350 → "3,5", 325 → "3,25".
func FormatPercentBP(bp int) string {
	s := strconv.Itoa(bp / 100)
	if f := bp % 100; f != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%02d", f), "0")
	}
	return s
}

// SavePaymentTerms checks the form and stores a property's payment terms.
// A *ValidationError lists every bad field and nothing is written;
// ErrNotFound means propertyID is not one of the account's. Reservations
// already held keep the terms frozen on them.
func SavePaymentTerms(ctx context.Context, conn DB, accountID, propertyID int64, in PaymentTermsInput) error {
	t, err := in.Check()
	if err != nil {
		return err
	}
	a := t.Account
	_, err = db.Q(conn).UpdatePropertyPaymentTerms(ctx, dbq.UpdatePropertyPaymentTermsParams{
		ID: propertyID, AccountID: accountID, PayMercadopago: t.MercadoPago, PayTransfer: t.Transfer, PayCash: t.Cash,
		MpSurchargeBp: int32(t.SurchargeBP), MpMaxInstallments: int32(t.MaxInstallments),
		TransferCbu: a.CBU, TransferAlias: a.Alias, TransferHolder: a.Holder, TransferCuit: a.CUIT,
		TransferBank: a.Bank, TransferInPesos: a.InPesos,
		BalanceDueDays: int32(t.BalanceDueDays), ReceiptHoldHours: int32(t.ReceiptHoldHours),
		DamageDeposit: t.DamageDeposit, DamageDepositMethod: cmp.Or(t.DamageDepositMethod, DepositCash),
	})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return ErrNotFound
	case db.IsCheck(err, "properties_transfer_account"):
		// Check refuses this first; the schema says it again.
		return &ValidationError{Fields: map[string]string{
			"transfer_cbu": "Para ofrecer transferencia cargá el CBU/CVU o el alias y el titular de la cuenta."}}
	case err != nil:
		return fmt.Errorf("booking: save payment terms of property %d: %w", propertyID, err)
	}
	return nil
}

// TermsOfAccountProperty reads the payment columns of a property as the
// dashboard loads it (not through the cache: a form shows what is stored).
func TermsOfAccountProperty(p dbq.GetAccountPropertyRow) PaymentTerms {
	return PaymentTerms{
		MercadoPago: p.PayMercadopago, Transfer: p.PayTransfer, Cash: p.PayCash,
		SurchargeBP: int(p.MpSurchargeBp), MaxInstallments: int(p.MpMaxInstallments),
		Account: TransferAccount{CBU: p.TransferCbu, Alias: p.TransferAlias, Holder: p.TransferHolder,
			CUIT: p.TransferCuit, Bank: p.TransferBank, InPesos: p.TransferInPesos},
		BalanceDueDays: int(p.BalanceDueDays), ReceiptHoldHours: int(p.ReceiptHoldHours),
	}
}

// FormOfAccountProperty is the "Cobros" form as stored: the payment terms
// and the damage deposit (which Property keeps apart from Pay).
func FormOfAccountProperty(p dbq.GetAccountPropertyRow) PaymentTermsInput {
	t := TermsOfAccountProperty(p)
	t.DamageDeposit, t.DamageDepositMethod = p.DamageDeposit, p.DamageDepositMethod
	return InputFromTerms(t)
}
