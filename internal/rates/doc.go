// Package rates holds the exchange rates of a foreign currency to Argentine
// pesos, per account (issue 12): the rules (reading a rate as people type
// it, its bounds, the markup, converting an amount to whole pesos, when a
// rate is stale) and the service that stores rates, reads today's rate and
// fetches automatic ones from a quote API in a periodic River job.
//
// Units. A Rate is pesos per unit of the currency in ten-thousandths
// (1185.50 is Rate(11_855_000)), stored as exchange_rates.rate_e4; a markup
// is in basis points (2.5 % is 250). Nothing here is a float.
//
// Rounding. Markup: rate × (10000 + bp) / 10000, rounded half-up to the
// ten-thousandth. ToPesos: amount in minor units (cents) × rate, divided by
// 100 × 10000, rounded half-up (half away from zero) to whole pesos; it is
// the one conversion of a stay's peso amounts, at the rate its hold locked.
//
// Staleness. A manual rate is never stale: the owner chose it and sees its
// age. An automatic rate is stale when its last fetch failed, or when the
// last successful fetch is older than StaleAfter (24 h), or when none ever
// succeeded. A stale rate is still used: it warns on the dashboard and in
// /healthz, and never blocks a booking.
//
// History. exchange_rates is append-only (a trigger refuses updates);
// today's rate is the latest row. An automatic fetch adds a row only when
// the rate changed, so the history lists changes, not polls.
package rates
