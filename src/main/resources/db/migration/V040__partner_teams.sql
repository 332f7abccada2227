-- R28: a partner organisation has several users. Each partner user is an admin or a member; the organisation's
-- existing users (its first, until now its only one) become admins. A removed teammate keeps its row (the
-- activity history still names them) but can no longer sign in, and its e-mail can be invited again.
ALTER TABLE users
    ADD COLUMN partner_role text CHECK (partner_role IN ('admin', 'member')),
    ADD COLUMN removed_at   timestamptz;
UPDATE users SET partner_role = 'admin' WHERE kind = 'partner';
ALTER TABLE users ADD CONSTRAINT users_partner_role CHECK ((kind = 'partner') = (partner_role IS NOT NULL));
ALTER TABLE users ADD CONSTRAINT users_removed_partner_only CHECK (removed_at IS NULL OR kind = 'partner');
DROP INDEX users_email_key;
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE removed_at IS NULL;
CREATE INDEX users_partner_team ON users (partner_id) WHERE kind = 'partner' AND removed_at IS NULL;

-- Teammates invited by e-mail: a one-time link (kept only as a SHA-256 hash) to choose a password.
CREATE TABLE partner_team_invites (
    id          uuid PRIMARY KEY,
    partner_id  uuid NOT NULL REFERENCES partners (id),
    email       text NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'member')),
    token_hash  text NOT NULL UNIQUE,
    status      text NOT NULL CHECK (status IN ('pending', 'accepted', 'replaced')),
    invited_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz
);
CREATE INDEX partner_team_invites_pending ON partner_team_invites (partner_id, created_at DESC) WHERE status = 'pending';

-- The customers (connections) assigned to a member: a member sees and logs in to only these; admins see all.
-- Read by the one predicate authz/TeamScope (the Customers list and the access check).
CREATE TABLE partner_assignments (
    user_id       uuid NOT NULL REFERENCES users (id),
    connection_id uuid NOT NULL REFERENCES connections (id),
    assigned_at   timestamptz NOT NULL,
    assigned_by   uuid REFERENCES users (id),
    PRIMARY KEY (user_id, connection_id)
);
CREATE INDEX partner_assignments_connection ON partner_assignments (connection_id);
