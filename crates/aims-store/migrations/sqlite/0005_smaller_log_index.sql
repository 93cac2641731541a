-- aims schema, version 5: the change log's record index holds only the record id and the sequence number.
-- Record ids are UUIDv7 and unique across organizations and types, so the organization and type columns only
-- made every entry of the index larger (and every write of the log slower).

DROP INDEX change_log_record;
CREATE INDEX change_log_record ON change_log (record_id, seq);
