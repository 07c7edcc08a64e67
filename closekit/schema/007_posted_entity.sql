-- Incremental posting (closekit.post): per period and entity, what its
-- journal lines were posted from. `source` fingerprints the entity's accepted
-- source rows (their count and a hash of their lineage); `basis` is the
-- SHA-256 of everything else posting reads (master files, settings, closekit
-- and DuckDB versions). An entity whose fingerprints are unchanged keeps its
-- lines when the period is posted again.
CREATE TABLE posted_entity (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL,
    PRIMARY KEY (period, entity)
);
