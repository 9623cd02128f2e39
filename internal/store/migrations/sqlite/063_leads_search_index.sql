-- Searching leads by name, e-mail or company matched LIKE '%text%'
-- against every lead's search text: tens of seconds at a million leads.
-- An FTS5 index with the trigram tokenizer finds the leads whose search
-- text holds a text of three characters or more (a phrase of its
-- trigrams is a substring) without reading the others. It is an external
-- content table over leads.search, kept in step by these triggers on
-- every write path; store.textMatch asks it (see leads_search.go).
CREATE VIRTUAL TABLE leads_search USING fts5(search, content='leads', content_rowid='id', tokenize='trigram');

CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
BEGIN INSERT INTO leads_search (rowid, search) VALUES (NEW.id, NEW.search); END;

CREATE TRIGGER leads_search_update AFTER UPDATE OF search ON leads WHEN OLD.search IS NOT NEW.search
BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); INSERT INTO leads_search (rowid, search) VALUES (NEW.id, NEW.search); END;

CREATE TRIGGER leads_search_delete AFTER DELETE ON leads
BEGIN INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', OLD.id, OLD.search); END;

INSERT INTO leads_search (leads_search) VALUES ('rebuild');
