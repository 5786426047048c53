package ical

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// Orphan is an interval of imported nights that no imported event points
// to: its feed is gone, so no sync will ever free it.
type Orphan struct {
	OccupancyID int64
	StartsOn    time.Time
	EndsOn      time.Time
	Note        string
}

// Orphans lists a property's orphaned imported nights that reach today or
// later (past ones are history). The account scopes the property.
func (s *Syncer) Orphans(ctx context.Context, propertyID, accountID int64, loc *time.Location) ([]Orphan, error) {
	return listOrphans(ctx, db.Q(s.DB), propertyID, accountID, localDate(s.Clock.Now(), false, loc))
}

func listOrphans(ctx context.Context, q *dbq.Queries, propertyID, accountID int64, today time.Time) ([]Orphan, error) {
	rows, err := q.ListOrphanImportedNights(ctx, dbq.ListOrphanImportedNightsParams{PropertyID: propertyID,
		AccountID: accountID, Today: today})
	if err != nil {
		return nil, fmt.Errorf("ical: orphaned nights of %d: %w", propertyID, err)
	}
	out := make([]Orphan, 0, len(rows))
	for _, r := range rows {
		out = append(out, Orphan{OccupancyID: r.ID, StartsOn: r.StartsOn, EndsOn: r.EndsOn, Note: r.Note})
	}
	return out, nil
}

// ReleaseOrphans frees a property's orphaned imported nights from today on
// (a stay in progress keeps its past nights) and writes one audit entry. It
// answers how many intervals it freed.
func (s *Syncer) ReleaseOrphans(ctx context.Context, propertyID, accountID int64, loc *time.Location, actor string) (int, error) {
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	today := localDate(now, false, loc)
	n := 0
	err := s.inTx(ctx, func(tx db.Tx) error {
		q := db.Q(tx)
		orphans, err := listOrphans(ctx, q, propertyID, accountID, today)
		if err != nil {
			return err
		}
		n = 0
		var freed []map[string]string
		for _, o := range orphans {
			var rows int64
			if o.StartsOn.Before(today) {
				rows, err = q.MoveImportedNights(ctx, dbq.MoveImportedNightsParams{ID: o.OccupancyID, StartsOn: o.StartsOn,
					EndsOn: today, Note: o.Note})
			} else {
				rows, err = q.ReleaseOccupancy(ctx, dbq.ReleaseOccupancyParams{ID: o.OccupancyID, Now: now})
			}
			if err != nil {
				return fmt.Errorf("ical: release orphan %d: %w", o.OccupancyID, err)
			}
			if rows == 1 {
				n++
				freed = append(freed, map[string]string{"check_in": o.StartsOn.Format("2006-01-02"),
					"check_out": o.EndsOn.Format("2006-01-02"), "note": o.Note})
			}
		}
		if n == 0 {
			return nil
		}
		detail, _ := json.Marshal(map[string]any{"property_id": propertyID, "freed": freed, "from": today.Format("2006-01-02")})
		return q.InsertAudit(ctx, dbq.InsertAuditParams{AccountID: accountID, Actor: actor, Action: "ical_orphans_released",
			Detail: detail, Now: now})
	})
	if err != nil {
		return 0, fmt.Errorf("ical: release orphans of %d: %w", propertyID, err)
	}
	if n > 0 {
		s.Log.Warn("ical: orphaned imported nights released", "property_id", propertyID, "intervals", n, "actor", actor)
	}
	return n, nil
}
