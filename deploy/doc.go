// Package deploy holds the production deployment files (Caddy, Prometheus,
// Grafana); it has no code. Its tests check the files with promtool, and that
// the alert rules and the dashboard name only metrics the server exports.
package deploy
