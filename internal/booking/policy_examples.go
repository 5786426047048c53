package booking

import (
	"fmt"
	"time"

	"alojamientos/internal/money"
)

// The example stay a policy is explained with: $100.000 in pesos, a 30 %
// seña, arrival 30 days after booking. Round figures the owner can check
// by heart.
const (
	ExampleTotal   money.Money = 100_000_00
	ExampleDeposit money.Money = 30_000_00
	exampleLead                = 30
)

// ExampleDays are the days before arrival the example table shows.
var ExampleDays = []int{30, 14, 7, 5, 2, 1, 0}

// PolicyExample is one row of "qué recibe el huésped según la fecha": who
// ends the stay and when, and what Settle gives back when only the seña
// was paid and when everything was.
type PolicyExample struct {
	Label       string
	By          Party
	DaysBefore  int
	OnlyDeposit Settlement
	PaidInFull  Settlement
}

// PolicyExamples computes the example table of a policy with Settle, the
// same computation a real cancellation uses, so the words an owner reads
// when choosing and the money a guest gets later never disagree: a guest
// cancelling on each of ExampleDays, a guest who never arrives, and the
// host who cancels.
func PolicyExamples(p Policy) []PolicyExample {
	checkIn := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	booked := checkIn.AddDate(0, 0, -exampleLead)
	row := func(label string, by Party, days int) PolicyExample {
		in := SettleInput{Policy: p, HasPolicy: true, By: by, CheckIn: checkIn, CheckInTime: "14:00",
			Timezone: time.UTC, BookedAt: booked, Deposit: ExampleDeposit, Currency: PesoCurrency,
			At: checkIn.AddDate(0, 0, -days).Add(12 * time.Hour)}
		ex := PolicyExample{Label: label, By: by, DaysBefore: days}
		in.Paid = ExampleDeposit
		ex.OnlyDeposit = Settle(in)
		in.Paid = ExampleTotal
		ex.PaidInFull = Settle(in)
		return ex
	}
	out := make([]PolicyExample, 0, len(ExampleDays)+2)
	for _, d := range ExampleDays {
		out = append(out, row(exampleLabel(d), PartyGuest, d))
	}
	out = append(out, row("No se presenta", PartyNoShow, 0), row("Cancela el alojamiento", PartyHost, 7))
	return out
}

func exampleLabel(days int) string {
	switch days {
	case 0:
		return "Cancela el día de llegada"
	case 1:
		return "Cancela 1 día antes"
	}
	return fmt.Sprintf("Cancela %d días antes", days)
}
