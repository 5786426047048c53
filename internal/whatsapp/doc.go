// Package whatsapp is the WhatsApp channel: the Cloud API (Graph) client,
// the signed webhook and its inbox, the outbound message queue, the
// notifications that hang off the audit log, and the assistant that reads
// guests' Spanish and books through internal/booking. It is separate from
// web, which only hands it raw webhook bodies and renders its inbox, so that
// every message is processed by River jobs whether or not an HTTP request is
// around, and from internal/booking, which knows nothing of chats.
package whatsapp
