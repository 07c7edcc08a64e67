-- SPEC 20: the invoice reference both sides of an intercompany document
-- know. Optional on sales, purchasing and expense rows; '' means the row's
-- own doc_id (the document-level reconciliation defaults it so).
ALTER TABLE source_row ADD COLUMN ic_ref VARCHAR DEFAULT '';
