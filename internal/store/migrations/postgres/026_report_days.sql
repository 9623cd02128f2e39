-- Reports answer from daily segments: see the SQLite file of this number.
ALTER TABLE report_leads DROP COLUMN month;
ALTER TABLE report_leads DROP COLUMN week;
ALTER TABLE report_leads ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN band TEXT NOT NULL DEFAULT '';
ALTER TABLE report_leads ADD COLUMN score DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE report_leads ADD COLUMN definition_id BIGINT NOT NULL DEFAULT 0;

CREATE TABLE report_days (
    kind  TEXT NOT NULL,
    day   BIGINT NOT NULL,
    leads BIGINT NOT NULL,
    data  BYTEA NOT NULL,
    PRIMARY KEY (kind, day)
);

CREATE TABLE report_dirty (
    id      BIGSERIAL PRIMARY KEY,
    lead_id BIGINT NOT NULL
);

CREATE FUNCTION report_dirty_mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO report_dirty (lead_id) VALUES (OLD.id); RETURN OLD; END IF; IF NEW.band IS DISTINCT FROM OLD.band OR NEW.score IS DISTINCT FROM OLD.score OR NEW.team IS DISTINCT FROM OLD.team OR NEW.owner IS DISTINCT FROM OLD.owner OR NEW.country IS DISTINCT FROM OLD.country OR NEW.definition_id IS DISTINCT FROM OLD.definition_id OR NEW.merged_into IS DISTINCT FROM OLD.merged_into THEN INSERT INTO report_dirty (lead_id) VALUES (NEW.id); END IF; RETURN NEW; END $$;

CREATE TRIGGER leads_report_dirty AFTER UPDATE OR DELETE ON leads FOR EACH ROW EXECUTE FUNCTION report_dirty_mark();

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

DELETE FROM report_leads;
UPDATE report_state SET value = 0 WHERE name = 'timeline_id';
