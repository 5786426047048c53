-- name: ClaimIdempotencyKey :execrows
-- A key left in progress by a crashed request may be taken over after a while.
INSERT INTO idempotency_keys AS k (scope, key, request_hash, created_at)
VALUES (@scope, @key, @request_hash, @now)
ON CONFLICT (scope, key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, created_at = EXCLUDED.created_at
    WHERE k.completed_at IS NULL AND k.created_at < @stale_before;

-- name: GetIdempotencyKey :one
SELECT * FROM idempotency_keys WHERE scope = @scope AND key = @key;

-- name: CompleteIdempotencyKey :exec
UPDATE idempotency_keys SET status_code = @status_code, response = @response, completed_at = @now::timestamptz
WHERE scope = @scope AND key = @key;

-- name: ReleaseIdempotencyKey :exec
DELETE FROM idempotency_keys WHERE scope = @scope AND key = @key AND completed_at IS NULL;

-- name: DeleteOldIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE created_at < @before;
