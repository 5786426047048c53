-- name: InsertExchangeRate :one
INSERT INTO exchange_rates (account_id, currency, rate_e4, quote_e4, kind, source, markup_bp, created_at, created_by)
VALUES (@account_id, @currency, @rate_e4, @quote_e4, @kind, @source, @markup_bp, @created_at, sqlc.narg('created_by'))
RETURNING *;

-- name: LatestExchangeRate :one
SELECT * FROM exchange_rates
WHERE account_id = @account_id AND currency = @currency
ORDER BY created_at DESC, id DESC
LIMIT 1;

-- name: ListExchangeRates :many
-- The history, newest first.
SELECT r.*, COALESCE(u.name, '')::text AS created_by_name
FROM exchange_rates r LEFT JOIN users u ON u.id = r.created_by
WHERE r.account_id = @account_id AND r.currency = @currency
ORDER BY r.created_at DESC, r.id DESC
LIMIT @max_rows;

-- name: GetExchangeRateSettings :one
SELECT * FROM exchange_rate_settings WHERE account_id = @account_id AND currency = @currency;

-- name: ListExchangeRateSettings :many
SELECT * FROM exchange_rate_settings WHERE account_id = @account_id ORDER BY currency;

-- name: UpsertExchangeRateSettings :one
INSERT INTO exchange_rate_settings (account_id, currency, mode, kind, markup_bp, updated_at)
VALUES (@account_id, @currency, @mode, @kind, @markup_bp, @now)
ON CONFLICT (account_id, currency) DO UPDATE
SET mode = EXCLUDED.mode, kind = EXCLUDED.kind, markup_bp = EXCLUDED.markup_bp, updated_at = EXCLUDED.updated_at,
    -- a new kind starts a new record of fetches
    last_error = CASE WHEN exchange_rate_settings.kind = EXCLUDED.kind THEN exchange_rate_settings.last_error ELSE '' END
RETURNING *;

-- name: ListAutoExchangeRateSettings :many
-- Every account and currency whose rate is fetched.
SELECT * FROM exchange_rate_settings WHERE mode = 'auto' ORDER BY kind, account_id, currency;

-- name: RecordExchangeRateFetch :exec
-- The outcome of a fetch: an empty error is a success.
UPDATE exchange_rate_settings
SET last_fetch_at = @now::timestamptz, last_error = @error,
    last_ok_at = CASE WHEN @error::text = '' THEN @now::timestamptz ELSE last_ok_at END
WHERE account_id = @account_id AND currency = @currency;

-- name: ListStaleAutoRates :many
-- Automatic rates whose last fetch failed or whose last success is older
-- than @stale_before, across accounts (for /healthz).
SELECT account_id, currency, last_ok_at, last_error FROM exchange_rate_settings
WHERE mode = 'auto' AND (last_error <> '' OR last_ok_at IS NULL OR last_ok_at < @stale_before::timestamptz)
ORDER BY account_id, currency;

-- name: ListExchangeRateCurrencies :many
-- The currencies an account has rates for.
SELECT DISTINCT currency FROM exchange_rates WHERE account_id = @account_id ORDER BY currency;
