-- R27/R31: the notification centre, the e-mail outbox and each user's choices.
-- Rows are written by notifications/NotificationStore inside the transaction of the change they tell about,
-- so a change that rolls back leaves neither a notification nor an e-mail behind.

CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text        NOT NULL,
    message     text        NOT NULL,
    link        text,                     -- a path of this site (the page the notification is about)
    account_id  uuid REFERENCES accounts (id),
    partner_id  uuid REFERENCES partners (id),
    created_at  timestamptz NOT NULL,
    read_at     timestamptz
);
-- The centre lists a user's notifications newest first (keyset on created_at, id) and counts the unread ones.
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Per user and kind: whether the user is told at all (only where it is a choice: login alerts for admins) and
-- whether it is e-mailed. No row: the kind's default (notifications/NotificationKind).
CREATE TABLE notification_preferences (
    user_id uuid    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text    NOT NULL,
    in_app  boolean NOT NULL,
    email   boolean NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- E-mails to send, written with the notification; notifications/MailRelayVerticle sends them (at least once)
-- and retries with exponential backoff up to mail.outbox.maxAttempts, then marks them failed.
CREATE TABLE mail_outbox (
    id              uuid PRIMARY KEY,
    notification_id uuid REFERENCES notifications (id) ON DELETE SET NULL,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient       text        NOT NULL,
    template        text        NOT NULL,
    model           jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';

-- Notifications to "the partner's users" find them by partner.
CREATE INDEX users_partner_recipients ON users (partner_id) WHERE partner_id IS NOT NULL;
