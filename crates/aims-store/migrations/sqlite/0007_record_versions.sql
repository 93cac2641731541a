-- aims schema, version 7: the content of every record version the change log names, so that a record's history
-- shows which fields changed and from what to what. Written in the transaction of the change, keyed like the
-- change-log entry; backed up with the log. Entries written before this version have no content here.

CREATE TABLE record_versions (
    org_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (org_id, seq)
) STRICT, WITHOUT ROWID;
