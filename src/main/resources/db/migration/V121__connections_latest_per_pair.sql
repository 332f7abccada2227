-- R28's one rule (authz/TeamScope.hearsOf) finds the partner's latest connection with a customer, live or
-- disconnected, for every recipient of a notification, every live event and every stored banner it filters. The
-- live-only partial indexes cannot serve a read that includes disconnected rows, so without this index each of those
-- reads scanned the whole table (at 1,000,000 connections a sweep batch's notifications exceeded the statement
-- timeout).
CREATE INDEX connections_pair_latest ON connections (account_id, partner_id, connected_at DESC);
