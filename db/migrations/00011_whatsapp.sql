-- +goose Up
-- An account sells over WhatsApp when it has a row here: its Cloud API
-- number, where the owner wants alerts, and the approved templates used
-- outside the 24-hour window.
CREATE TABLE whatsapp_settings (
    account_id        bigint      PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    enabled           boolean     NOT NULL DEFAULT true,
    phone_number_id   text        NOT NULL DEFAULT '' CHECK (phone_number_id ~ '^[0-9]{0,30}$'),
    -- E.164 of the owner's own WhatsApp, or '' for no alerts by WhatsApp.
    owner_phone       text        NOT NULL DEFAULT '' CHECK (owner_phone = '' OR owner_phone ~ '^\+[1-9][0-9]{7,14}$'),
    assistant_enabled boolean     NOT NULL DEFAULT true,
    template_language text        NOT NULL DEFAULT 'es_AR',
    -- Template names by event (hold_created, payment_received, …); a missing key takes the default.
    templates         jsonb       NOT NULL DEFAULT '{}',
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX whatsapp_settings_number_idx ON whatsapp_settings (phone_number_id) WHERE phone_number_id <> '';

-- One chat with one WhatsApp user (a guest, or the owner's own phone).
CREATE TABLE wa_conversations (
    id               bigserial   PRIMARY KEY,
    account_id       bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    wa_id            text        NOT NULL CHECK (wa_id ~ '^[1-9][0-9]{6,14}$'),
    profile_name     text        NOT NULL DEFAULT '',
    -- 'assistant' answers; 'owner' means a person took over and the assistant stays quiet.
    mode             text        NOT NULL DEFAULT 'assistant' CHECK (mode IN ('assistant', 'owner')),
    handoff_at       timestamptz,
    -- The 24-hour customer service window is counted from here.
    last_inbound_at  timestamptz,
    last_message_at  timestamptz NOT NULL DEFAULT now(),
    last_preview     text        NOT NULL DEFAULT '',
    unread           integer     NOT NULL DEFAULT 0 CHECK (unread >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, wa_id)
);
CREATE INDEX wa_conversations_recent_idx ON wa_conversations (account_id, last_message_at DESC);

-- Every message in and out. An inbound one is unique by its wamid; an
-- outbound one by (account, event_key): the event and recipient it answers,
-- so a retried job or a duplicated webhook never sends it twice.
CREATE TABLE wa_messages (
    id               bigserial   PRIMARY KEY,
    account_id       bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    conversation_id  bigint      NOT NULL REFERENCES wa_conversations (id) ON DELETE CASCADE,
    direction        text        NOT NULL CHECK (direction IN ('in', 'out')),
    wamid            text,
    event_key        text,
    author           text        NOT NULL DEFAULT '',
    kind             text        NOT NULL,
    body             text        NOT NULL DEFAULT '',
    -- Outbound: the whole message to send (buttons, list, template, the event to compose).
    payload          jsonb       NOT NULL DEFAULT '{}',
    template         text        NOT NULL DEFAULT '',
    status           text        NOT NULL CHECK (status IN ('received', 'queued', 'sending', 'sent', 'delivered',
                                                            'read', 'failed', 'unknown', 'skipped')),
    error_code       integer     NOT NULL DEFAULT 0,
    error            text        NOT NULL DEFAULT '',
    reservation_id   bigint      REFERENCES reservations (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    status_at        timestamptz
);
CREATE UNIQUE INDEX wa_messages_wamid_idx ON wa_messages (wamid) WHERE wamid IS NOT NULL;
CREATE UNIQUE INDEX wa_messages_event_idx ON wa_messages (account_id, event_key) WHERE event_key IS NOT NULL;
CREATE INDEX wa_messages_conversation_idx ON wa_messages (conversation_id, id);

-- The assistant's memory of a chat when Redis is off; expires_at makes an
-- abandoned chat start over.
CREATE TABLE wa_state (
    conversation_id  bigint      PRIMARY KEY REFERENCES wa_conversations (id) ON DELETE CASCADE,
    state            jsonb       NOT NULL,
    expires_at       timestamptz NOT NULL
);

-- Events that concern guests or owners get a notification job in the same
-- transaction as the audit entry that records them: nothing is missed and
-- no code that writes the audit log needs to know about WhatsApp.
-- +goose StatementBegin
CREATE FUNCTION wa_notify_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM whatsapp_settings s WHERE s.account_id = NEW.account_id AND s.enabled) THEN
        INSERT INTO river_job (state, scheduled_at, args, kind, max_attempts, priority, queue)
        VALUES ('available', now(), jsonb_build_object('audit_id', NEW.id), 'whatsapp.notify', 10, 1, 'default');
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_whatsapp AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.action IN ('hold_created', 'confirm', 'cancel', 'hold_expired', 'payment_mercadopago',
                                      'payment_alert', 'ical_collision'))
    EXECUTE FUNCTION wa_notify_audit();

-- +goose Down
DROP TRIGGER audit_log_whatsapp ON audit_log;
DROP FUNCTION wa_notify_audit();
DROP TABLE wa_state;
DROP TABLE wa_messages;
DROP TABLE wa_conversations;
DROP TABLE whatsapp_settings;
