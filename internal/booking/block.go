package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"alojamientos/db"
	"alojamientos/db/dbq"
)

// MaxBlockNights bounds one owner block.
const MaxBlockNights = 365

// maxBlockNote bounds a block's note, in characters.
const maxBlockNote = 500

// Block is nights an owner took off sale: an occupancy row of kind 'block'.
type Block struct {
	ID           int64
	PropertyID   int64
	PropertyName string
	CheckIn      time.Time // first night
	CheckOut     time.Time // the day after the last night
	Note         string
	CreatedAt    time.Time
}

// Nights is the number of nights blocked.
func (b Block) Nights() int { return NightsBetween(b.CheckIn, b.CheckOut) }

// CreateBlock takes [checkIn, checkOut) of a property of the account off
// sale, with its audit entry, in one statement. The dates are as typed
// (YYYY-MM-DD); problems with them or the note are a *ValidationError
// (fields check_in, check_out, note). A property of another account is
// ErrNotFound; a taken night is ErrDateOverlap and nothing is written.
func (s *Service) CreateBlock(ctx context.Context, accountID, propertyID int64, checkIn, checkOut, note, actor string) (Block, error) {
	p, err := s.LoadProperty(ctx, propertyID)
	if errors.Is(err, ErrNotFound) || (err == nil && p.AccountID != accountID) {
		return Block{}, ErrNotFound
	}
	if err != nil {
		return Block{}, err
	}
	ci, co, note, err := s.validBlock(p, checkIn, checkOut, note)
	if err != nil {
		return Block{}, err
	}
	now := s.Clock.Now().UTC().Truncate(time.Microsecond)
	params := dbq.CreateBlockParams{CheckIn: ci, CheckOut: co, Note: note, Now: now, PropertyID: p.ID,
		AccountID: accountID, Actor: actor}
	var row dbq.CreateBlockRow
	for attempt := 0; ; attempt++ {
		row, err = db.Q(s.DB).CreateBlock(ctx, params)
		if db.IsRetry(err) && attempt < 3 {
			s.Metrics.SerializationRetries.Inc()
			time.Sleep(time.Duration(attempt+1) * 5 * time.Millisecond)
			continue
		}
		break
	}
	switch {
	case err == nil:
	case errors.Is(err, db.ErrNotFound), db.IsExclusion(err), db.IsRetry(err):
		return Block{}, ErrDateOverlap
	default:
		return Block{}, fmt.Errorf("booking: block %d %s..%s: %w", propertyID, checkIn, checkOut, err)
	}
	return Block{ID: row.ID, PropertyID: row.PropertyID, PropertyName: p.Name, CheckIn: ci, CheckOut: co,
		Note: note, CreatedAt: row.CreatedAt}, nil
}

// validBlock checks a block's dates against the property's today and its note.
func (s *Service) validBlock(p Property, checkIn, checkOut, note string) (time.Time, time.Time, string, error) {
	var verr ValidationError
	ci, errIn := ParseDate(strings.TrimSpace(checkIn))
	if errIn != nil {
		verr.add("check_in", "Fecha de inicio inválida: usá el formato AAAA-MM-DD.")
	}
	co, errOut := ParseDate(strings.TrimSpace(checkOut))
	if errOut != nil {
		verr.add("check_out", "Fecha de fin inválida: usá el formato AAAA-MM-DD.")
	}
	if errIn == nil && errOut == nil {
		switch {
		case ci.Before(s.Today(p)):
			verr.add("check_in", "No se pueden bloquear noches que ya pasaron.")
		case !ci.Before(co):
			verr.add("check_out", "La fecha de fin debe ser posterior a la de inicio.")
		case NightsBetween(ci, co) > MaxBlockNights:
			verr.add("check_out", fmt.Sprintf("Un bloqueo no puede superar las %d noches.", MaxBlockNights))
		}
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxBlockNote {
		verr.add("note", fmt.Sprintf("La nota es demasiado larga (máximo %d caracteres).", maxBlockNote))
	}
	return ci, co, note, verr.orNil()
}

// GetBlock returns an active block of the account, or ErrNotFound.
func (s *Service) GetBlock(ctx context.Context, accountID, id int64) (Block, error) {
	row, err := db.Q(s.DB).GetBlock(ctx, dbq.GetBlockParams{ID: id, AccountID: accountID})
	if errors.Is(err, db.ErrNotFound) {
		return Block{}, ErrNotFound
	}
	if err != nil {
		return Block{}, fmt.Errorf("booking: get block %d: %w", id, err)
	}
	return Block(row), nil
}

// DeleteBlock frees a block's nights at once, with its audit entry, and
// returns what it freed. A block of another account, or one already
// deleted, is ErrNotFound.
func (s *Service) DeleteBlock(ctx context.Context, accountID, id int64, actor string) (Block, error) {
	row, err := db.Q(s.DB).ReleaseBlock(ctx, dbq.ReleaseBlockParams{
		Now: s.Clock.Now().UTC(), ID: id, AccountID: accountID, Actor: actor,
	})
	if errors.Is(err, db.ErrNotFound) {
		return Block{}, ErrNotFound
	}
	if err != nil {
		return Block{}, fmt.Errorf("booking: delete block %d: %w", id, err)
	}
	return Block(row), nil
}
