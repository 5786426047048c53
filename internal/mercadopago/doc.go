// Package mercadopago talks to Mercado Pago: the API client (preferences,
// payments, refunds), the webhook signature check, the notification inbox and
// the processing that turns a payment Mercado Pago vouches for into money on
// a reservation. Nothing here trusts a notification's body: every payment is
// fetched from the API before it changes anything. The provider's protocol
// stays here, apart from web (which hands it raw webhooks) and from
// internal/booking (which confirms a hold without knowing who paid for it).
package mercadopago
