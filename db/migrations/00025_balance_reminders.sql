-- +goose Up
-- Balance reminders (issue 12): a periodic job writes one balance_reminder
-- audit entry per stay, three days before its balance is due, and the
-- WhatsApp trigger of migration 00011 turns it into the guest's message.
--
-- Once per reservation, however often the job runs.
CREATE UNIQUE INDEX audit_log_balance_reminder_once ON audit_log (reservation_id) WHERE action = 'balance_reminder';

-- The trigger's WHEN list gains 'balance_reminder'. Other migrations of the
-- same issue add their own actions to that list, so this one edits the
-- trigger as it finds it (PostgreSQL prints the list as ARRAY[...]) instead
-- of writing the whole list again and dropping theirs.
-- +goose StatementBegin
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_triggerdef(t.oid) INTO STRICT def FROM pg_trigger t
    WHERE t.tgname = 'audit_log_whatsapp' AND t.tgrelid = 'audit_log'::regclass;
    IF position('''balance_reminder''' IN def) = 0 THEN
        DROP TRIGGER audit_log_whatsapp ON audit_log;
        EXECUTE replace(def, 'ARRAY[', 'ARRAY[''balance_reminder''::text, ');
    END IF;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    def text;
BEGIN
    SELECT pg_get_triggerdef(t.oid) INTO STRICT def FROM pg_trigger t
    WHERE t.tgname = 'audit_log_whatsapp' AND t.tgrelid = 'audit_log'::regclass;
    IF position('''balance_reminder''::text, ' IN def) > 0 THEN
        DROP TRIGGER audit_log_whatsapp ON audit_log;
        EXECUTE replace(def, '''balance_reminder''::text, ', '');
    END IF;
END $$;
-- +goose StatementEnd
DROP INDEX audit_log_balance_reminder_once;
