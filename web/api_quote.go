package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"alojamientos/internal/booking"
	"alojamientos/internal/money"
)

type quoteJSON struct {
	PropertyID     int64            `json:"property_id"`
	CheckIn        string           `json:"check_in"`
	CheckOut       string           `json:"check_out"`
	Nights         int              `json:"nights"`
	Guests         int              `json:"guests"`
	Breakdown      []quoteNightJSON `json:"breakdown"`
	NightsSubtotal money.Money      `json:"nights_subtotal"`
	CleaningFee    money.Money      `json:"cleaning_fee"`
	ExtraGuests    int              `json:"extra_guests"`
	ExtraGuestFee  money.Money      `json:"extra_guest_fee"`
	TotalPrice     money.Money      `json:"total_price"`
	DepositPercent int              `json:"deposit_percent"`
	DepositAmount  money.Money      `json:"deposit_amount"`
	Currency       string           `json:"currency"`
	MinNights      int              `json:"min_nights"`
	Available      bool             `json:"available"`
	// The property's cancellation terms: what a hold made now freezes.
	CancellationPolicy *policyJSON `json:"cancellation_policy"`
	// For a foreign currency, today's rate and the amounts in pesos at it.
	pesosJSON
	// What a Mercado Pago seña held now would charge in pesos (a foreign currency, a surcharge).
	mpJSON
}

type quoteNightJSON struct {
	Date  string      `json:"date"`
	Price money.Money `json:"price"`
}

func (s *Server) apiQuote(c echo.Context) error {
	p, err := s.propertyParam(c)
	if err != nil {
		return err
	}
	var verr booking.ValidationError
	guests := 1
	if g := c.QueryParam("guests"); g != "" {
		if guests, err = strconv.Atoi(g); err != nil {
			return validationError(map[string]string{"guests": "Cantidad de huéspedes inválida."})
		}
	}
	ci, co, ok := s.booking.ValidStay(p, c.QueryParam("check_in"), c.QueryParam("check_out"), guests, &verr)
	if !ok {
		return validationError(verr.Fields)
	}
	if msg, long := p.LongStay(ci, co); long {
		// Quoted here, refused at the hold: say it now.
		return validationError(map[string]string{"check_out": msg})
	}
	q, err := booking.Price(p.Rules, p.Seasons, ci, co, guests)
	if err != nil {
		return bookingError(err)
	}
	taken, err := s.booking.TakenNights(c.Request().Context(), p.ID, ci, co)
	if err != nil {
		return err
	}
	if len(taken) > 0 {
		dates := make([]string, len(taken))
		for i, d := range taken {
			dates[i] = booking.FormatDate(d)
		}
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "date_overlap",
			Message: fmt.Sprintf("Hay %d noche(s) ocupada(s) en esas fechas.", len(taken)),
			Extra:   map[string]any{"taken_nights": dates}}
	}
	out := quoteToJSON(p.ID, q)
	// Today's rate as loaded with the (cached) property: no query of its own.
	out.pesosJSON = pesosOf(p.RateToday, q.Total, q.Deposit)
	out.mpJSON = s.quoteMPJSON(c.Request().Context(), p, q.Deposit)
	out.CancellationPolicy = policyOf(&p.Policy)
	return writeJSON(c, http.StatusOK, out)
}

func quoteToJSON(propertyID int64, q booking.Quote) quoteJSON {
	out := quoteJSON{
		PropertyID: propertyID, CheckIn: booking.FormatDate(q.CheckIn), CheckOut: booking.FormatDate(q.CheckOut),
		Nights: q.Nights, Guests: q.Guests, NightsSubtotal: q.NightsSubtotal, CleaningFee: q.CleaningFee,
		ExtraGuests: q.ExtraGuests, ExtraGuestFee: q.ExtraGuestFee, TotalPrice: q.Total,
		DepositPercent: q.DepositPercent, DepositAmount: q.Deposit, Currency: q.Currency, MinNights: q.MinNights,
		Available: true, Breakdown: make([]quoteNightJSON, len(q.Breakdown)),
	}
	for i, n := range q.Breakdown {
		out.Breakdown[i] = quoteNightJSON{Date: booking.FormatDate(n.Date), Price: n.Price}
	}
	return out
}
