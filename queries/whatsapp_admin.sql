-- The dashboard's WhatsApp inbox.

-- name: AdminListConversationMessages :many
-- The newest messages of one chat with the name of the dashboard user who
-- wrote each owner reply (author 'user:<id>').
SELECT m.id, m.direction, m.author, m.kind, m.body, m.template, m.status, m.error_code, m.error,
       m.created_at, m.sent_at, m.status_at,
       COALESCE(NULLIF(u.name, ''), u.email, '')::text AS user_name
FROM wa_messages m
LEFT JOIN users u ON u.account_id = m.account_id AND m.author = 'user:' || u.id::text
WHERE m.conversation_id = @conversation_id AND m.account_id = @account_id
ORDER BY m.id DESC
LIMIT @max_rows;
