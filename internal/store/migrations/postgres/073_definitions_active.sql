-- Every write transaction that stores an evaluated lead asks which
-- definition is active as it commits (store's flagStale): this index
-- answers from its last entry, without reading the definitions' sources.
CREATE INDEX definitions_active ON definitions(activated_at, id) WHERE activated_at IS NOT NULL;
