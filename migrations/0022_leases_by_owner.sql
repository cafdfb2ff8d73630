-- What a sender leased, found by its owner (issue #14, item 7): a sender reads back the actions
-- (and the cron the deliveries) it has just leased by `lease_owner`, and that read went through
-- the `state` index, walking every pending row. While the marketplace (or a brand's endpoint) is
-- down, pending rows pile up by the thousand, and every confirm walked them all twice.
CREATE INDEX outbox_leased ON outbox(lease_owner, lease_until) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_leased ON webhook_deliveries(lease_owner, lease_until) WHERE state = 'pending';
