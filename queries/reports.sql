-- name: ReportProperties :many
-- Properties of the account, in the order reports list them.
SELECT id, name, active FROM properties WHERE account_id = @account_id ORDER BY name, id;

-- name: ReportFirstYear :one
-- The year of the earliest stay of the account (0 without stays), to know
-- which years a report can show.
SELECT COALESCE(extract(year FROM min(r.check_in)), 0)::integer AS first_year
FROM reservations r WHERE r.account_id = @account_id;

-- name: ReportStayMonths :many
-- Nights sold and their revenue per reservation (with its property, channel,
-- currency and the exchange rate locked on its hold, 0 for none) and month
-- of [from_date, to_date), both first days of a month. Rows are per
-- reservation so Go can convert a foreign stay's revenue to pesos at its own
-- locked rate (rates.ToPesos, the one conversion); nothing is converted here. A stay counts when it is
-- confirmed, checked in or completed (never holds, cancelled, expired or
-- no-show stays). Each night counts in the month it falls in, priced from the
-- breakdown stored with the stay, so a stay over two months is split where its
-- nights are; the rest of the stay's total (cleaning and extra-guest fees, or
-- any adjustment) counts in the month of its check-in. Over all months, a
-- stay's revenue is its total. Amounts are summed only within the currency
-- the stay was priced in (a row per currency): pesos and dollars never mix.
WITH stays AS (
    SELECT r.id, r.property_id, r.channel, r.currency, r.exchange_rate_e4, r.check_in, r.check_out, r.total,
           r.price_breakdown
    FROM reservations r
    WHERE r.account_id = @account_id
      AND r.status IN ('confirmed', 'checked_in', 'completed')
      AND r.check_in < @to_date::date AND r.check_out > @from_date::date
), prices AS (
    SELECT s.id, (n.value ->> 'date')::date AS night, (n.value ->> 'price')::numeric(12,2) AS price
    FROM stays s
    CROSS JOIN LATERAL jsonb_array_elements(s.price_breakdown -> 'nights') AS n
), days AS (
    SELECT s.id, s.property_id, s.channel, s.currency, s.exchange_rate_e4, d.day::date AS night
    FROM stays s
    CROSS JOIN LATERAL generate_series(greatest(s.check_in, @from_date::date)::timestamp,
                                       (least(s.check_out, @to_date::date) - 1)::timestamp,
                                       interval '1 day') AS d(day)
), items AS (
    SELECT days.id, days.property_id, days.channel, days.currency, days.exchange_rate_e4, days.night AS day, 1 AS nights,
           COALESCE(prices.price, 0) AS amount
    FROM days
    LEFT JOIN prices ON prices.id = days.id AND prices.night = days.night
    UNION ALL
    SELECT s.id, s.property_id, s.channel, s.currency, s.exchange_rate_e4, s.check_in AS day, 0 AS nights,
           s.total - COALESCE((SELECT sum(p.price) FROM prices p WHERE p.id = s.id), 0) AS amount
    FROM stays s
    WHERE s.check_in >= @from_date::date
)
SELECT items.id AS reservation_id, items.property_id, items.channel, items.currency,
       COALESCE(items.exchange_rate_e4, 0)::bigint AS exchange_rate_e4, date_trunc('month', items.day::timestamp)::date AS month,
       sum(items.nights)::integer AS nights, sum(items.amount)::numeric(12,2) AS revenue
FROM items
GROUP BY items.id, items.property_id, items.channel, items.currency, items.exchange_rate_e4, month
ORDER BY month, items.property_id, items.channel, items.currency, items.id;

-- name: ReportBlockedMonths :many
-- Nights the owner closed (blocks) per property and month of [from_date,
-- to_date), both first days of a month: each block is cut at month edges.
WITH months AS (
    SELECT m.start::date AS month, daterange(m.start::date, (m.start + interval '1 month')::date) AS nights
    FROM generate_series((sqlc.arg(from_date)::date)::timestamp, (sqlc.arg(to_date)::date)::timestamp - interval '1 day',
                         interval '1 month') AS m(start)
)
SELECT o.property_id, months.month,
       sum(upper(o.nights * months.nights) - lower(o.nights * months.nights))::integer AS nights
FROM occupancy o
JOIN properties p ON p.id = o.property_id
JOIN months ON o.nights && months.nights
WHERE p.account_id = @account_id AND o.active AND o.kind = 'block'
GROUP BY o.property_id, months.month
ORDER BY months.month, o.property_id;

-- name: ReportAccountCurrency :one
-- The account's currency: the one revenue charts are drawn in.
SELECT currency FROM accounts WHERE id = @account_id;

-- name: ReportCollected :many
-- Money collected per currency of the payments (a Mercado Pago seña of a
-- dollar stay is charged in pesos) between two instants: approved payments
-- less what was refunded of them (gross), and Mercado Pago's fees of those
-- payments (payments.fee, the sum of their fee_details). Stay money given
-- back by hand (a refund by transfer or cash settled in the window, not of
-- a Mercado Pago payment, whose refunds payments.refunded already holds)
-- is taken off too, so a cancelled stay's transfer refund is not counted
-- as collected. Penalties and damage deposits are not collections.
WITH moved AS (
    SELECT p.currency, 1 AS payments, p.amount - p.refunded AS gross, p.fee
    FROM payments p
    WHERE p.account_id = @account_id AND p.status = 'approved'
      AND p.created_at >= @from_at::timestamptz AND p.created_at < @to_at::timestamptz
    UNION ALL
    SELECT f.currency, 0, -f.amount, 0
    FROM refunds f
    WHERE f.account_id = @account_id AND f.status = 'done' AND f.payment_id IS NULL AND f.stay_amount > 0
      AND f.settled_at >= @from_at::timestamptz AND f.settled_at < @to_at::timestamptz
)
SELECT currency, sum(payments)::integer AS payments, sum(gross)::numeric(12,2) AS gross,
       sum(fee)::numeric(12,2) AS fees
FROM moved
GROUP BY currency
ORDER BY currency;
