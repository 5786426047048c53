// Package rates is the owner's exchange-rate page (/admin/tipo-de-cambio):
// today's rate per currency with its kind, source and age, the manual-rate
// form, the automatic-fetch settings and the history; and the dashboard's
// warning about a stale automatic rate. The handlers in web fill the view
// models; the rules live in internal/rates.
package rates
