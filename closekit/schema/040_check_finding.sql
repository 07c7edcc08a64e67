-- Each finding of a failed or warned check (closekit.checks.base.Finding),
-- with the entities or consolidation nodes it is about (empty: the group as
-- a whole). check_result.detail lists a few of them for people; a node's
-- workbook shows those about its subtree (docs/reports.md), so that a late
-- file elsewhere in the group leaves it as it was.
CREATE TABLE check_finding (
    period          VARCHAR NOT NULL,
    seq             INTEGER NOT NULL,              -- check_result.seq
    n               INTEGER NOT NULL,              -- its order in the check
    about           VARCHAR[] NOT NULL,
    text            VARCHAR NOT NULL
);
