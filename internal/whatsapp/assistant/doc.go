// Package assistant answers guests' WhatsApp chats: it reads each message
// with package understand, keeps what the chat has said so far (State, in
// wa_state, read and written on the chat's transaction), searches free
// properties and places holds through internal/booking, and returns a Turn:
// the replies, the holds whose notice to send, the owner's alerts and
// whether to hand the chat to a person.
//
// Dependency direction: assistant imports understand, cloudapi (only for the
// message types), booking and db; package whatsapp imports assistant, never
// the other way. Recording the inbound message, queueing the Turn and the
// notices themselves stay in whatsapp (chat.go), since they share the
// outbound queue and the account's settings.
package assistant
