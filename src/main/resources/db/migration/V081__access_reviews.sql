-- R30: access reviews. Every reviews.everyDays (90) an account with at least one partner whose access is enabled
-- gets a review: one row per partner with access at that moment, with its last use, what it did over the period
-- (counts by activity kind, of the rows its own users wrote) and whether it is recommended to disable (unused for
-- reviews.unusedDays or more). The owner answers Keep or Disable per partner; a review closes when every partner is
-- answered ('answered') or when its due window passes ('lapsed', then reviews.onNoAnswer applies to the rest).
CREATE TABLE access_reviews (
    id          uuid PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    created_at  timestamptz NOT NULL,
    period_from timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    status      text        NOT NULL CHECK (status IN ('open', 'answered', 'lapsed')),
    closed_at   timestamptz
);
-- Idempotent creation: one open review per account, whatever the number of instances sweeping.
CREATE UNIQUE INDEX access_reviews_one_open ON access_reviews (account_id) WHERE status = 'open';
CREATE INDEX access_reviews_account ON access_reviews (account_id, created_at DESC);
CREATE INDEX access_reviews_due ON access_reviews (due_at) WHERE status = 'open';

CREATE TABLE access_review_items (
    review_id           uuid        NOT NULL REFERENCES access_reviews (id),
    partner_id          uuid        NOT NULL REFERENCES partners (id),
    connection_id       uuid        NOT NULL REFERENCES connections (id),
    last_used_at        timestamptz,
    recommended_disable boolean     NOT NULL,
    activity            jsonb       NOT NULL DEFAULT '{}',
    decision            text CHECK (decision IN ('keep', 'disable')),
    decided_at          timestamptz,
    decided_by          uuid REFERENCES users (id),
    PRIMARY KEY (review_id, partner_id)
);

-- The review's banner concerns the account and all its partners, not one partner.
ALTER TABLE banners ALTER COLUMN partner_id DROP NOT NULL;
