-- Lists that scale (issue 12 item 3): the indexes of the new searches, filters and sorts.
--
-- Customers page (connections/ConnectionRepository.customerPage, built from one CustomerQuery):
--   * search "contains" on the business name and the owner's e-mail: trigram indexes (pg_trgm ships with
--     PostgreSQL's contrib and is a trusted extension: the database owner may create it);
--   * sort by expiry / by last access, newest-first keyset pages: the sort keys exactly as the query writes
--     them (COALESCE with +/-infinity so that a NULL sorts last and the keyset comparison stays a plain row
--     comparison), per partner, live connections only;
--   * the "requested" filter and its count: a partner's pending requests.
-- Jobs and Activity history filters (person, kind) keep their newest-first order with the filter in front.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX accounts_business_name_trgm ON accounts USING gin (business_name gin_trgm_ops);
CREATE INDEX users_owner_email_trgm ON users USING gin (lower(email) gin_trgm_ops) WHERE role = 'owner';

CREATE INDEX connections_partner_expiry
    ON connections (partner_id, (COALESCE(expires_at, 'infinity'::timestamptz)), account_id)
    WHERE disconnected_at IS NULL;
CREATE INDEX connections_partner_last_access
    ON connections (partner_id, (COALESCE(last_accessed_at, '-infinity'::timestamptz)) DESC, account_id DESC)
    WHERE disconnected_at IS NULL;
CREATE INDEX access_requests_partner_pending ON access_requests (partner_id, connection_id) WHERE status = 'pending';

CREATE INDEX activity_account_kind ON activity (account_id, kind, id DESC);
CREATE INDEX activity_account_user ON activity (account_id, actor_user_id, id DESC) WHERE actor_user_id IS NOT NULL;
CREATE INDEX activity_account_partner ON activity (account_id, partner_id, id DESC) WHERE partner_id IS NOT NULL;
CREATE INDEX jobs_account_user ON jobs (account_id, created_by, created_at DESC, id) WHERE created_by IS NOT NULL;
CREATE INDEX jobs_account_partner ON jobs (account_id, partner_id, created_at DESC, id) WHERE partner_id IS NOT NULL;
CREATE INDEX invites_partner_page ON invites (partner_id, created_at DESC, id DESC);
