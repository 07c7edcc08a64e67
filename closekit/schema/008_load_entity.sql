-- Incremental load (closekit.load): the entities each current period file
-- holds rows of (the rows its reader could split, accepted or rejected).
-- Every set rule of SPEC section 4 (duplicates, documents, currencies,
-- balances) looks only at rows of one entity, so when a few files change,
-- only the entities they held or hold now are validated again, together
-- with the rows of those entities in unchanged files.
CREATE TABLE load_entity (
    period          VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL
);
