package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// SavePolicy checks and stores a property's cancellation policy: the tiers
// are sorted and checked (a *ValidationError keyed like the owner's form,
// nothing written), the preset's name is kept only when the terms are the
// preset's (else PresetCustom), and the version is the stored one plus one.
// One statement writes the policy and the audit entry ("policy_changed");
// the property cache drops the property through the properties trigger, so
// the next hold freezes the new terms and existing bookings keep theirs.
// ErrNotFound means propertyID is not one of the account's.
func SavePolicy(ctx context.Context, conn DB, accountID, propertyID int64, p Policy, actor string, now time.Time) (Policy, error) {
	p.Tiers = append([]Tier{}, p.Tiers...)
	if err := p.Normalize(); err != nil {
		return Policy{}, err
	}
	if !p.Matches(p.Preset) {
		p.Preset = PresetCustom
	}
	p.Version = 0 // the statement sets it from the stored one
	raw, err := db.Q(conn).SavePropertyCancelPolicy(ctx, dbq.SavePropertyCancelPolicyParams{
		Policy: p.JSON(), Now: now, ID: propertyID, AccountID: accountID, Actor: actor})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return Policy{}, ErrNotFound
	case err != nil:
		return Policy{}, fmt.Errorf("booking: save cancellation policy of property %d: %w", propertyID, err)
	}
	saved, _, err := ParsePolicy(raw)
	if err != nil {
		return Policy{}, err
	}
	return saved, nil
}

// StoredPolicy reads a property's policy as stored (the default for a
// column that says nothing), for the owner's form.
func StoredPolicy(raw []byte) Policy {
	p, ok, err := ParsePolicy(raw)
	if err != nil || !ok {
		return DefaultPolicy()
	}
	return p
}
