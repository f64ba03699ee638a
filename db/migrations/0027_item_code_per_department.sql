-- Item codes are unique within a department, not across the portal (issue 11): real published
-- lists of different departments share codes (and codes generated from 序号 collide). An item
-- is addressed by its department and its code: /items/{slug}/{code}.
-- DDL commits on its own, so a run cut short is run again from the start: each statement
-- here may meet its own work already done (IF [NOT] EXISTS; the log rows below are harmless to
-- append twice, a replay of the same documents).
ALTER TABLE list_items DROP INDEX IF EXISTS uq_list_items_code,
  ADD UNIQUE KEY IF NOT EXISTS uq_list_items_dept_code (department_id, code);

ALTER TABLE list_item_drafts DROP INDEX IF EXISTS ix_item_drafts_code,
  ADD KEY ix_item_drafts_code (department_id, item_code);

-- The search change log and the index key an item as "<department id>/<code>" (was: the
-- code; see portal/publishing/catalog.h, itemDocKey). Rows logged before are rewritten, so a
-- node that has not applied them yet applies them in the new form.
UPDATE search_changes c JOIN list_items i ON i.code = c.doc_key
SET c.doc_key = CONCAT(i.department_id, '/', i.code)
WHERE c.doc_kind = 'item';

-- A node whose index already holds the items under their old ids ("item:<code>") drops them
-- and indexes them under the new ones, in log order, as its feeder drains these rows: no
-- reindex needed. Each statement takes the log head's row lock, so the numbers stay in order.
INSERT INTO search_changes (seq, doc_kind, doc_key, op)
SELECT h.last_seq + ROW_NUMBER() OVER (ORDER BY i.id), 'item', i.code, 'remove'
FROM list_items i JOIN search_log_head h ON h.id = 1;

UPDATE search_log_head
SET last_seq = GREATEST(last_seq, (SELECT COALESCE(MAX(seq), 0) FROM search_changes))
WHERE id = 1;

INSERT INTO search_changes (seq, doc_kind, doc_key, op)
SELECT h.last_seq + ROW_NUMBER() OVER (ORDER BY i.id), 'item',
       CONCAT(i.department_id, '/', i.code), 'upsert'
FROM list_items i JOIN search_log_head h ON h.id = 1;

UPDATE search_log_head
SET last_seq = GREATEST(last_seq, (SELECT COALESCE(MAX(seq), 0) FROM search_changes))
WHERE id = 1;
