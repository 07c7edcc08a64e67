-- What each period's last load validated against (SPEC section 5): a
-- fingerprint of its files, the master files and closekit.toml. A load whose
-- fingerprint is unchanged has nothing to do; otherwise the whole period is
-- validated again (duplicates and documents span files, and a master data fix
-- must be able to accept rows rejected before).
CREATE TABLE load_input (
    period          VARCHAR PRIMARY KEY,
    fingerprint     VARCHAR NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);
