-- +goose Up
-- WhatsApp work gets its own River queue (so a guest's reply never waits
-- behind payment calls), and wakes the workers at commit instead of at their
-- next poll.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION wa_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM whatsapp_settings s WHERE s.account_id = NEW.account_id AND s.enabled) THEN
        INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
        VALUES ('available', now(), jsonb_build_object('audit_id', NEW.id), 'whatsapp.notify', 10, 1, 'whatsapp');
        PERFORM pg_notify(current_schema() || '.river_insert', '{"queue": "whatsapp"}');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- Jobs queued before this migration stay where they are: move them (River's
-- own tables come after ours on a new database).
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('river_job') IS NOT NULL THEN
        UPDATE river_job SET queue = 'whatsapp'
        WHERE kind LIKE 'whatsapp.%' AND kind NOT IN ('whatsapp.remind', 'whatsapp.sweep_inbox')
          AND state IN ('available', 'scheduled', 'retryable');
        UPDATE river_job SET queue = 'payments'
        WHERE kind IN ('mercadopago.process_notification', 'mercadopago.create_payment_link')
          AND state IN ('available', 'scheduled', 'retryable');
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION wa_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM whatsapp_settings s WHERE s.account_id = NEW.account_id AND s.enabled) THEN
        INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
        VALUES ('available', now(), jsonb_build_object('audit_id', NEW.id), 'whatsapp.notify', 10, 1, 'default');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
DO $$
BEGIN
    IF to_regclass('river_job') IS NOT NULL THEN
        UPDATE river_job SET queue = 'default'
        WHERE queue IN ('whatsapp', 'payments') AND state IN ('available', 'scheduled', 'retryable');
    END IF;
END $$;
-- +goose StatementEnd
