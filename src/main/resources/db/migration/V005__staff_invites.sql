-- Staff invitations (R10: the owner creates or invites staff with a role). The link's token is stored hashed.
CREATE TABLE staff_invites (
    id                 uuid PRIMARY KEY,
    account_id         uuid NOT NULL REFERENCES accounts (id),
    email              text NOT NULL,
    name               text NOT NULL,
    role               text NOT NULL CHECK (role IN ('admin', 'staff')),
    token_hash         text NOT NULL UNIQUE,
    status             text NOT NULL CHECK (status IN ('pending', 'accepted')),
    invited_by         uuid REFERENCES users (id),
    invited_by_partner uuid REFERENCES partners (id),
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    accepted_at        timestamptz
);
CREATE INDEX staff_invites_account ON staff_invites (account_id) WHERE status = 'pending';
