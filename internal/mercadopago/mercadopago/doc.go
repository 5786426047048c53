// Package mercadopago talks to Mercado Pago: the API client (preferences,
// payments, refunds), the webhook signature check, the notification inbox and
// the processing that turns a payment Mercado Pago vouches for into money on
// a reservation. Nothing here trusts a notification's body: every payment is
// fetched from the API before it changes anything.
package mercadopago
