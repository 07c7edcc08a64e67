-- master/ic_margins.csv (SPEC 18.1): a group seller's gross margin on
-- intra-group goods, percent of the selling price, from `period` on (the
-- row with the latest period at or before a period applies). Unrealised
-- profit in inventory is computed from it (closekit/consolidation/urp.py).
CREATE TABLE ic_margin (
    period          VARCHAR NOT NULL,
    seller          VARCHAR NOT NULL,
    margin_pct      DECIMAL(9, 4) NOT NULL,        -- -100 < x < 100
    path            VARCHAR NOT NULL,              -- lineage: master/ic_margins.csv
    row_no          BIGINT NOT NULL
);
