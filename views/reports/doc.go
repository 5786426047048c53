// Package reports is the dashboard's Reportes page: occupancy and revenue by
// month, property and channel as tables and as SVG bar charts drawn here
// (chart.go), with no JavaScript. A package per dashboard feature keeps each
// screen's view models and components together; the handlers in web fill them
// from internal/stats.
package reports
