-- name: SeedPaymentTerms :exec
-- The demo's payment terms of one property (seed --demo): the methods it
-- offers, the Mercado Pago surcharge, the transfer account and when the
-- balance is due.
UPDATE properties
SET pay_mercadopago = @pay_mercadopago, pay_transfer = @pay_transfer, pay_cash = @pay_cash,
    mp_surcharge_bp = @mp_surcharge_bp, transfer_cbu = @transfer_cbu, transfer_alias = @transfer_alias,
    transfer_holder = @transfer_holder, transfer_cuit = @transfer_cuit, transfer_bank = @transfer_bank,
    transfer_in_pesos = @transfer_in_pesos, balance_due_days = @balance_due_days
WHERE id = @id;
