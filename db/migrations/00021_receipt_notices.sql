-- +goose Up
-- Receipts (issue 12) reach WhatsApp through the audit log like every other
-- event: the owner hears that a receipt waits for review, the guest hears
-- why the owner rejected one.
DROP TRIGGER audit_log_whatsapp ON audit_log;
CREATE TRIGGER audit_log_whatsapp AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.action IN ('hold_created', 'confirm', 'cancel', 'hold_expired', 'payment_mercadopago',
                                      'payment_alert', 'ical_collision', 'receipt_uploaded', 'receipt_rejected'))
    EXECUTE FUNCTION wa_notify_audit();

-- +goose Down
DROP TRIGGER audit_log_whatsapp ON audit_log;
CREATE TRIGGER audit_log_whatsapp AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.action IN ('hold_created', 'confirm', 'cancel', 'hold_expired', 'payment_mercadopago',
                                      'payment_alert', 'ical_collision'))
    EXECUTE FUNCTION wa_notify_audit();
