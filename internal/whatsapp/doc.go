// Package whatsapp is the program's WhatsApp side: it stores what Meta's
// webhooks deliver, answers guests through the assistant, sends the
// reservation notices and the owner's alerts, and keeps the outbound queue.
//
// Sub-packages, each readable alone, with imports pointing one way
// (whatsapp → assistant → understand; whatsapp, assistant → cloudapi):
//
//   - cloudapi: the transport (Graph API client, webhook signature and
//     parsing); no database.
//   - understand: the Spanish reader (intent, dates, guests, holidays);
//     standard library only.
//   - assistant: what to answer a guest (reads with understand, searches and
//     holds through booking) and the chat's state; it queues nothing.
//   - watest: a fake Graph API and webhook builders for tests.
//
// What stays here shares the Service (its settings, clock, client) and the
// outbound queue, and calls back and forth: sending a queued notice composes
// it (notify.go), and notifying queues it (outbound.go); processing the inbox
// answers a chat (chat.go), which queues replies. As sub-packages these
// would import each other, so they are files with one part each instead:
//
//   - service.go: Service, New, an account's settings and its number.
//   - inbox.go: Receive (a verified webhook body into wa_inbox, one job per
//     event) and ProcessInbox (each event once: a message or a status).
//   - chat.go: HandleMessage, recording a guest's message and queueing the
//     assistant's Turn on the chat's transaction.
//   - outbound.go: the outbound queue: enqueue, the owner's replies and
//     templates, and Send (the job that delivers one message).
//   - notify.go: the notices an audit entry or the clock calls for, composed
//     when sent, and the owner's alerts.
//   - jobs.go: AddWorkers and PeriodicJobs for River, on Queue.
//   - transport.go: the cloudapi names callers use, re-exported.
//
// It is separate from web, which only hands it raw webhook bodies and renders
// its inbox, so that every message is processed by River jobs whether or not
// an HTTP request is around.
package whatsapp
