package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes is the one place every route is declared.
//
// Long: it is the route table (AGENTS.md: "web/routes.go declares every
// route"). Read top to bottom it is the site map, with each route's
// middleware (rate limits, CSRF, owner-only) beside it; split into functions
// it would no longer be one table to search.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if s.metricsOnMain() {
		e.GET("/metrics", echo.WrapHandler(s.metricsHandler()))
	}

	e.GET("/static/*", s.static)
	e.HEAD("/static/*", s.static)
	// Guest pages: public, rate-limited per client IP, CSRF on the hold form.
	pages := s.rateLimit("pages")
	e.GET("/", s.guestIndex, pages)
	e.GET("/a/:account", s.guestAccountIndex, pages)
	guestCSRF := s.csrfMiddleware()
	e.GET("/p/:slug", s.guestProperty, pages, guestCSRF)
	e.GET("/p/:slug/quote", s.guestQuote, pages, guestCSRF)
	e.POST("/p/:slug/hold", s.guestHold, pages, guestCSRF)
	e.GET("/r/:code", s.guestReservationPage, pages, guestCSRF)
	e.GET("/r/:code/status", s.guestReservationStatus, pages, guestCSRF)
	e.GET("/r/:code/pago", s.guestPaymentReturn, pages, guestCSRF)
	e.POST("/r/:code/pago/reintentar", s.guestPaymentRetry, pages, guestCSRF)
	e.POST("/r/:code/saldo", s.guestBalancePay, pages, guestCSRF)
	e.POST("/r/:code/medio-de-pago", s.guestPaymentMethod, pages, guestCSRF)
	e.GET("/r/:code/cancelar", s.guestCancelPreview, pages, guestCSRF)
	e.POST("/r/:code/cancelar", s.guestCancel, pages, guestCSRF)
	// A receipt upload: its own tighter count, the body bounded and read before the CSRF check.
	e.POST("/r/:code/comprobantes", s.guestReceiptUpload, pages, s.rateLimitAtMost("receipts", receiptUploadsPerMinute),
		s.receiptBody, guestCSRF)
	// The "Botón de arrepentimiento": public, no sign-in; each POST guesses a
	// code, so it has its own tight count per client network.
	e.GET("/arrepentimiento", s.withdrawalForm, pages, guestCSRF)
	e.POST("/arrepentimiento", s.withdrawalSubmit, pages, s.rateLimitAtMost("withdrawal", withdrawalsPerMinute),
		middleware.BodyLimit(withdrawalBodyMax), guestCSRF)

	// Export feeds for the channels: the token in the URL is the secret.
	e.GET("/ical/:file", s.icalFeed)
	e.HEAD("/ical/:file", s.icalFeed)

	e.GET("/media/:file", s.mediaFile)
	e.HEAD("/media/:file", s.mediaFile)

	csrf := s.csrfMiddleware()
	e.GET("/login", s.loginForm, csrf, s.rateLimit("pages"))
	e.POST("/login", s.login, csrf, s.rateLimit("login"))
	e.POST("/logout", s.logout, csrf)

	// The dashboard: every route needs a signed-in user and a CSRF token on
	// writes; owner-only routes say so. Every query is scoped to the user's account.
	// requireUser runs before the CSRF check so an anonymous request is
	// turned away before anything reads its (possibly large) body.
	admin := e.Group("/admin", middleware.BodyLimit("16M"), s.requireUser, csrf)
	owner := s.requireOwner
	admin.GET("/", s.adminHome)
	admin.GET("/calendar", s.calendar)
	admin.GET("/properties/:id/calendar", s.propertyCalendar)
	admin.POST("/blocks", s.blockCreate)
	admin.POST("/blocks/:id/delete", s.blockDelete)

	admin.GET("/reservations", s.reservationList)
	admin.GET("/reservations.csv", s.reservationCSV)
	admin.GET("/reservations/new", s.reservationNew)
	admin.POST("/reservations", s.reservationCreate)
	admin.GET("/reservations/:code", s.reservationShow)
	admin.POST("/reservations/:code/confirm", s.reservationConfirm)
	admin.POST("/reservations/:code/cancel", s.reservationCancel)
	admin.GET("/reservations/:code/cancel/preview", s.reservationCancelPreview)
	admin.POST("/reservations/:code/check-in", s.reservationCheckIn)
	admin.POST("/reservations/:code/complete", s.reservationComplete)
	admin.POST("/reservations/:code/no-show", s.reservationNoShow)
	admin.POST("/reservations/:code/guest", s.reservationGuestEdit)
	admin.POST("/reservations/:code/dates", s.reservationDatesChange)
	admin.POST("/reservations/:code/payments", s.reservationPaymentAdd)
	admin.POST("/reservations/:code/payments/:id/refund", s.reservationRefund, owner)
	admin.POST("/reservations/:code/devoluciones/:rid/saldar", s.reservationRefundSettle, owner)
	admin.POST("/reservations/:code/balance-link", s.reservationBalanceLink)
	admin.POST("/reservations/:code/deposito/recibido", s.reservationDepositRecord)
	admin.POST("/reservations/:code/deposito/devolucion", s.reservationDepositReturn, owner)
	// Transfer receipts: payments received by hand, so staff review them too.
	admin.GET("/reservations/:code/comprobantes/:rid", s.receiptFile)
	admin.POST("/reservations/:code/comprobantes/:rid/confirmar", s.receiptConfirm)
	admin.POST("/reservations/:code/comprobantes/:rid/rechazar", s.receiptReject)
	admin.GET("/settings/mercadopago", s.settingsMercadoPago, owner)
	admin.POST("/settings/mercadopago/test", s.settingsMercadoPagoTest, owner)
	admin.GET("/settings/whatsapp", s.settingsWhatsApp, owner)
	admin.POST("/settings/whatsapp", s.settingsWhatsAppSave, owner)
	admin.POST("/settings/whatsapp/prueba", s.settingsWhatsAppTestMessage, owner)
	admin.GET("/tipo-de-cambio", s.ratesShow, owner)
	admin.POST("/tipo-de-cambio", s.ratesSet, owner)
	admin.POST("/tipo-de-cambio/ajustes", s.ratesSettingsSave, owner)

	admin.GET("/properties", s.propertyList)
	admin.GET("/properties/new", s.propertyNew, owner)
	admin.POST("/properties", s.propertyCreate, owner)
	admin.GET("/properties/:id/edit", s.propertyEdit, owner)
	admin.POST("/properties/:id", s.propertyUpdate, owner)
	admin.POST("/properties/:id/active", s.propertySetActive, owner)
	admin.GET("/properties/:id/preview", s.propertyPreview, owner)
	admin.POST("/properties/:id/photos", s.propertyPhotoAdd, owner)
	admin.POST("/properties/:id/photos/delete", s.propertyPhotoDelete, owner)
	admin.POST("/properties/:id/seasons", s.seasonCreate, owner)
	admin.POST("/properties/:id/seasons/:sid", s.seasonUpdate, owner)
	admin.POST("/properties/:id/seasons/:sid/delete", s.seasonDelete, owner)
	admin.GET("/properties/:id/cobros", s.propertyPayments, owner)
	admin.POST("/properties/:id/cobros", s.propertyPaymentsSave, owner)
	admin.GET("/properties/:id/cancelacion", s.propertyPolicy, owner)
	admin.POST("/properties/:id/cancelacion", s.propertyPolicySave, owner)
	admin.POST("/properties/:id/cancelacion/vista", s.propertyPolicyPreview, owner)

	// Channel calendars: staff see them and sync now; the owner adds, removes and rotates.
	admin.GET("/properties/:id/feeds", s.feedList)
	admin.POST("/properties/:id/feeds", s.feedAdd, owner)
	admin.POST("/properties/:id/feeds/rotate", s.feedRotate, owner)
	admin.POST("/properties/:id/feeds/:fid/sync", s.feedSync)
	admin.POST("/properties/:id/feeds/:fid/delete", s.feedDelete, owner)
	admin.POST("/properties/:id/feeds/orphans/release", s.feedReleaseOrphans, owner)

	admin.GET("/reports", s.reports)

	// WhatsApp: every user answers guests; only the owner changes the settings.
	admin.GET("/whatsapp", s.whatsappInbox)
	admin.GET("/whatsapp/:id", s.whatsappConversation)
	admin.GET("/whatsapp/:id/mensajes", s.whatsappMessages)
	admin.POST("/whatsapp/:id/responder", s.whatsappReply)
	admin.POST("/whatsapp/:id/plantilla", s.whatsappTemplate)
	admin.POST("/whatsapp/:id/modo", s.whatsappMode)

	admin.GET("/users", s.userList, owner)
	admin.POST("/users", s.userCreate, owner)
	admin.POST("/users/:id/role", s.userRoleChange, owner)
	admin.POST("/users/:id/delete", s.userDelete, owner)
	admin.GET("/account", s.accountShow)
	admin.POST("/account/password", s.passwordChange)

	// Signed by the provider; never rate-limited per IP nor CSRF-checked.
	e.POST("/webhooks/mercadopago", s.webhookMercadoPago)
	e.GET("/webhooks/whatsapp", s.webhookWhatsAppVerify)
	e.POST("/webhooks/whatsapp", s.webhookWhatsApp)

	api := e.Group("/api/v1", s.rateLimit("api"))
	api.GET("/properties", s.apiProperties)
	api.GET("/properties/:id/availability", s.apiAvailability)
	api.GET("/properties/:id/quote", s.apiQuote)
	api.POST("/reservations/pre-reserve", s.apiPrereserve)
	api.GET("/reservations/:code", s.apiReservationShow)
	api.POST("/reservations/:code/cancel", s.apiReservationCancel)
}
