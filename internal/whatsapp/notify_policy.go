package whatsapp

import (
	"context"
	"fmt"

	"alojamientos/db"
	"alojamientos/internal/booking"
)

// holdTermsLine is the line of the hold notice that states the terms frozen
// on the booking, in booking.Policy.Summary's words ("Cancelación: política
// Moderada — …"), ending in a newline; empty for a stay without them.
func (s *Service) holdTermsLine(ctx context.Context, reservationID int64) (string, error) {
	raw, err := db.Q(s.DB).ReservationCancelPolicy(ctx, reservationID)
	if err != nil {
		return "", fmt.Errorf("whatsapp: terms of reservation %d: %w", reservationID, err)
	}
	p, ok, err := booking.ParsePolicy(raw)
	if err != nil || !ok {
		return "", err
	}
	return p.Summary() + "\n", nil
}
