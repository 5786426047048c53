-- name: SavePropertyCancelPolicy :one
-- Stores a property's cancellation policy with the next version and writes
-- the audit entry, in one statement. The row lock the UPDATE takes orders
-- concurrent saves, so versions never repeat; the properties trigger
-- (migration 00002) tells every instance's cache to drop the property, so
-- the next hold freezes the new terms. Reservations keep their frozen copy.
WITH upd AS (
    UPDATE properties
    SET cancel_policy = sqlc.arg(policy)::jsonb
            || jsonb_build_object('version', COALESCE((cancel_policy->>'version')::int, 0) + 1),
        updated_at = @now
    WHERE properties.id = @id AND properties.account_id = @account_id
    RETURNING id, account_id, name, cancel_policy
), aud AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
    SELECT upd.account_id, NULL, @actor, 'policy_changed',
           jsonb_build_object('property_id', upd.id, 'property', upd.name,
                              'preset', upd.cancel_policy->>'preset', 'version', upd.cancel_policy->'version'),
           @now
    FROM upd
)
SELECT cancel_policy FROM upd;

-- name: ReservationCancelPolicy :one
-- The terms frozen on a reservation (NULL: none), for the messages that quote them.
SELECT cancel_policy FROM reservations WHERE id = @id;
