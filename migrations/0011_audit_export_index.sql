-- The whole audit log newest first, as the operators' export reads it a page at a time: with
-- this index each page seeks to its cursor instead of sorting the log.
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
