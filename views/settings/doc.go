// Package settings is the dashboard's settings pages that are not a feature
// of their own: the Mercado Pago page (masked credentials, the webhook URL to
// register, the API's health and a connection test) and the navigation the
// settings pages share (the WhatsApp settings page lives in views/whatsapp). A
// package per dashboard feature keeps each screen's view models and components
// together; the handlers in web fill them.
package settings
