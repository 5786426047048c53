package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"alojamientos/db/dbq"
	"alojamientos/internal/money"
)

type propertyJSON struct {
	ID             int64        `json:"id"`
	Slug           string       `json:"slug"`
	Name           string       `json:"name"`
	Kind           string       `json:"kind"`
	Capacity       int32        `json:"capacity"`
	Description    string       `json:"description"`
	Location       string       `json:"location"`
	BasePrice      money.Money  `json:"base_price"`
	WeekendPrice   *money.Money `json:"weekend_price"`
	CleaningFee    money.Money  `json:"cleaning_fee"`
	MinNights      int32        `json:"min_nights"`
	DepositPercent int32        `json:"deposit_percent"`
	CheckInTime    string       `json:"check_in_time"`
	CheckOutTime   string       `json:"check_out_time"`
	Currency       string       `json:"currency"`
	URL            string       `json:"url"`
}

func (s *Server) apiProperties(c echo.Context) error {
	rows, err := dbq.New(s.pool).ListActiveProperties(c.Request().Context())
	if err != nil {
		return fmt.Errorf("web: list properties: %w", err)
	}
	out := make([]propertyJSON, 0, len(rows))
	for _, p := range rows {
		out = append(out, propertyJSON{
			ID: p.ID, Slug: p.Slug, Name: p.Name, Kind: p.Kind, Capacity: p.Capacity, Description: p.Description,
			Location: p.Location, BasePrice: p.BasePrice, WeekendPrice: p.WeekendPrice, CleaningFee: p.CleaningFee,
			MinNights: p.MinNights, DepositPercent: p.DepositPercent, CheckInTime: p.CheckInTime,
			CheckOutTime: p.CheckOutTime, Currency: p.Currency, URL: s.config.BaseURL + "/p/" + p.Slug,
		})
	}
	return writeJSON(c, http.StatusOK, out)
}
