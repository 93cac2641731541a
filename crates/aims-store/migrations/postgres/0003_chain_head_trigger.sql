-- aims schema, version 3: the chain head advances in the same statement that appends a change-log entry.
-- An entry that does not follow the head of its chain is refused (a chain never forks). While a chain has no head
-- row yet (restore inserts the log before the heads), entries are accepted as they are.

CREATE FUNCTION change_log_advances_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chain_heads SET seq = NEW.seq, hash = NEW.hash WHERE org_id = NEW.org_id AND seq = NEW.seq - 1;
    IF NOT FOUND AND EXISTS (SELECT 1 FROM chain_heads WHERE org_id = NEW.org_id) THEN
        RAISE EXCEPTION 'change-log entry does not follow the head of its chain';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER change_log_advances_head AFTER INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_advances_head();
