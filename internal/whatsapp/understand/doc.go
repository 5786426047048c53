// Package understand is the assistant's reader of Argentine Spanish: from one
// guest message and today's civil date it finds the intent (greeting,
// availability, price, book, status, cancel, help, a person, yes, no), the
// stay (explicit dates, ranges, "este finde", "el finde largo", holidays of
// Argentina), the guests (adults and children), a reservation code, a name
// and a pick from a list.
//
// It is pure on purpose: no database, no network, no clock of its own (today
// is given), and of ours it imports only internal/format, the one home of the
// Spanish names of days and months it writes in its hints, so it can be table-tested and fuzzed
// alone and the assistant (package whatsapp/assistant) only decides what to
// do with what was read. Entry points: Message and LongWeekends.
package understand
