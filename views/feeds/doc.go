// Package feeds is the dashboard's Canales page of a property: the export
// feed URLs a channel polls, the channel calendars we import with each feed's
// health, the form that adds one, and imported nights left without a calendar.
// A package per dashboard feature keeps each screen's view models and
// components together; the handlers in web fill them.
package feeds
