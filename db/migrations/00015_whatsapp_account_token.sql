-- +goose Up
-- An account's own WhatsApp Business access token. With it an owner proves,
-- on the settings page, that a number is theirs (the Graph API answers for
-- the number with this token), and that number's messages are sent with it.
-- Empty: the installation's WHATSAPP_ACCESS_TOKEN, with a number that only
-- the installation's admin assigns (`alojamientos whatsapp assign`).
-- Two accounts never hold one number: whatsapp_settings_number_idx (00011).
ALTER TABLE whatsapp_settings ADD COLUMN access_token text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE whatsapp_settings DROP COLUMN access_token;
