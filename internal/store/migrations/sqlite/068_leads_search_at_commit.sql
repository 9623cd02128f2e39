-- New leads enter the trigram index (leads_search, migration 063) once,
-- at the end of the transaction that inserts them, in one statement
-- (Tx.indexNewLeads), instead of row by row from a trigger. FTS5 writes
-- what it holds in memory to a new segment of its index whenever a
-- statement or savepoint opens within the transaction: with the insert
-- trigger every statement of 100 new leads, and every savepoint of a
-- group, started a small segment that then had to be merged. Now a
-- transaction's new leads make one segment, written at commit.
--
-- leads_search_upto holds the highest lead ID the index holds. Lead IDs
-- only grow (leads are never deleted; NextLeadIDs follows the highest),
-- so the leads above it are exactly those not yet indexed. The update and
-- delete triggers leave those alone: they enter the index with the search
-- text they have at the end of their transaction.
CREATE TABLE leads_search_upto (id INTEGER NOT NULL);
INSERT INTO leads_search_upto (id) SELECT coalesce(max(id), 0) FROM leads;

DROP TRIGGER leads_search_insert;
DROP TRIGGER leads_search_update;
DROP TRIGGER leads_search_delete;

CREATE TRIGGER leads_search_update AFTER UPDATE OF search ON leads
WHEN OLD.search IS NOT NEW.search AND OLD.id <= (SELECT id FROM leads_search_upto)
BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); INSERT INTO leads_search (rowid, search) VALUES (NEW.id, NEW.search); END;

CREATE TRIGGER leads_search_delete AFTER DELETE ON leads
WHEN OLD.id <= (SELECT id FROM leads_search_upto)
BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); END;
