-- The Customers list in name order (issue 12, 10,000 customers): the page reads accounts in (business_name, id)
-- order and joins each to the partner's live connection, so a page of 50 reads about 50 rows instead of sorting every
-- customer of the partner; the keyset cursor is (business_name, id) too.
CREATE INDEX accounts_name_order ON accounts (business_name, id);
