// Package cloudapi is the transport to Meta's WhatsApp Cloud API, and only
// that: Client sends one message (text, reply buttons, list, template) to the
// Graph API and classifies what went wrong (retryable, ambiguous, window
// closed); VerifySignature checks a webhook body's X-Hub-Signature-256 on the
// raw bytes; ParseWebhook flattens a verified body into inbound messages and
// status updates.
//
// It imports no database, no River and nothing of the program's own: what a
// message means, when to retry and what to store is decided by package
// whatsapp, which depends on this one (never the other way), and tests point
// Client at the fake Graph server of package watest.
package cloudapi
