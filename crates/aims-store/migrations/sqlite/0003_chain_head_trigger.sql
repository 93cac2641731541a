-- aims schema, version 3: the chain head advances in the same statement that appends a change-log entry.
-- An entry that does not follow the head of its chain is refused (a chain never forks). While a chain has no head
-- row yet (restore inserts the log before the heads), entries are accepted as they are.

CREATE TRIGGER change_log_advances_head AFTER INSERT ON change_log
BEGIN
    UPDATE chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE org_id = NEW.org_id AND seq = NEW.seq - 1;
    SELECT RAISE(ABORT, 'change-log entry does not follow the head of its chain')
    WHERE EXISTS (SELECT 1 FROM chain_heads WHERE org_id = NEW.org_id AND (seq <> NEW.seq OR hash <> NEW.hash));
END;
