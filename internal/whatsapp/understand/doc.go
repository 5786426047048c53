// Package understand is the assistant's reader of Argentine Spanish: from one
// guest message and today's civil date it finds the intent (greeting,
// availability, price, book, status, cancel, help, a person, yes, no), the
// stay (explicit dates, ranges, "este finde", "el finde largo", holidays of
// Argentina), the guests (adults and children), a reservation code, a name
// and a pick from a list.
//
// It is pure on purpose: standard library only, no database, no network, no
// clock of its own (today is given), so it can be table-tested and fuzzed
// alone and the assistant (package whatsapp/assistant) only decides what to
// do with what was read. Entry points: Message, FormatStay, LongWeekends.
package understand
