-- A lease on a stored inbound event, taken by the cron run that applies it (docs/cases.md#races):
-- two runs that overlap both read the same stored events, and without it both applied them (a
-- second detection, a late takedown result recorded twice). The run whose UPDATE takes the lease
-- applies the event; the other skips it. A run that dies holding it only delays the event until
-- the lease ends.
ALTER TABLE inbound_events ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
