-- No query reads leads by company, and on a large import this index costs a
-- random page write per new lead (companies are spread through any file).
-- Bring it back with the first feature that lists a company's leads.
DROP INDEX IF EXISTS leads_company;
