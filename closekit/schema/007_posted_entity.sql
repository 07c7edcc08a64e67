-- Incremental posting (closekit.post): per period and entity, what its
-- journal lines were posted from. `source` fingerprints the entity's accepted
-- source rows (their count and a hash of their lineage); `basis` is the
-- SHA-256 of everything else posting reads (master files, settings, closekit
-- and DuckDB versions, earlier periods' posting). An entity whose
-- fingerprints are unchanged, and whose `lines` are still in the journal,
-- keeps them when the period is posted again.
CREATE TABLE posted_entity (
    period          VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    basis           VARCHAR NOT NULL,
    lines           BIGINT NOT NULL,               -- journal lines posted for the entity
    PRIMARY KEY (period, entity)
);
