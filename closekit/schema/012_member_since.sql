-- SPEC 14 (membership by period; IFRS 10.B88): the period from which a
-- member is consolidated at the node, i.e. the period of the acquiring event
-- (acquisition, migration or first period) its entries at the node come from.
ALTER TABLE node_member ADD COLUMN since VARCHAR DEFAULT '';
