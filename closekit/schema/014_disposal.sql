-- SPEC 16.1 (IFRS 10.25, B97-B99; IAS 21.48): the entries a loss of control
-- fixes at each node that held the subsidiary, measured once from the node's
-- figures at P-1 and repeated at every later period: P&L lines while the
-- disposal year runs, on retained earnings after the roll.
CREATE TABLE event_line (
    period          VARCHAR NOT NULL,      -- the event's period
    entity          VARCHAR NOT NULL,      -- the entity of the event
    node            VARCHAR NOT NULL,
    line_entity     VARCHAR NOT NULL,
    partner         VARCHAR NOT NULL DEFAULT '',
    account         VARCHAR NOT NULL,
    profit_center   VARCHAR NOT NULL DEFAULT '',
    cost_center     VARCHAR NOT NULL DEFAULT '',
    amount_group    DECIMAL(18, 2) NOT NULL,
    note            VARCHAR NOT NULL DEFAULT '',
    owner           VARCHAR NOT NULL DEFAULT ''
);
