// Package home is the dashboard's first page (Inicio): today's arrivals and
// departures, holds about to expire, open conflicts, occupancy and revenue per
// property, and recent activity. A package per dashboard feature keeps each
// screen's view models and components together; the handlers in web fill them
// (the figures come from internal/stats).
package home
