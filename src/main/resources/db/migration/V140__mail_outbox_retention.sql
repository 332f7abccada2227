-- Retention of the e-mail outbox: notifications/MailRelayVerticle deletes, in bounded batches, the e-mails that were
-- sent or gave up more than retention.outboxDays ago (oldest first); pending e-mails are never deleted.
CREATE INDEX mail_outbox_finished ON mail_outbox (created_at) WHERE status <> 'pending';
