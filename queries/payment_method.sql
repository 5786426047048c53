-- name: ChangePaymentMethod :one
-- A guest switches the method of their live hold: the change and its audit
-- entry in one statement. No row when the hold is not live (paid, expired,
-- cancelled) or the method is already that one.
WITH changed AS (
    UPDATE reservations SET payment_method = @method::text, updated_at = @now
    WHERE reservations.id = @id::bigint AND status = 'pre_reserved' AND hold_expires_at > @now AND payment_method <> @method::text
    RETURNING id, account_id
), audit AS (
    INSERT INTO audit_log (account_id, reservation_id, actor, action, detail, created_at)
    SELECT account_id, id, 'guest', 'payment_method_changed', jsonb_build_object('method', @method::text), @now
    FROM changed
)
SELECT id FROM changed;
