-- Drafts and the optional legal-office review (issue 3, item 2). A draft is a proposed change
-- that is not public: it lives here, outside list_item_versions, so public version numbers stay
-- contiguous. Publishing a draft writes a public version exactly as a direct edit does.
--
-- A department with requires_review = 1 publishes nothing without the legal office's approval:
-- draft -> submitted -> (returned -> draft -> submitted ...) -> published.
ALTER TABLE departments ADD COLUMN requires_review TINYINT(1) NOT NULL DEFAULT 0;

-- The demo's market-supervision bureau requires review. On a fresh database the departments
-- are loaded after the migrations; the demo seed (db/seed/demo.json) sets the flag there.
UPDATE departments SET requires_review = 1 WHERE slug = 'scjg';

CREATE TABLE list_item_drafts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id INT UNSIGNED NOT NULL,
  item_code VARCHAR(64) NOT NULL,                  -- 事项编码 (of the item, or of the new one)
  base_version INT UNSIGNED NULL,                  -- the public version it changes; NULL: new item
  item_json MEDIUMTEXT NOT NULL,                   -- the item's fields, see portal/publishing/item_draft.h
  change_kind VARCHAR(16) NOT NULL,                -- create | amend | cancel | delegate
  change_reason TEXT NOT NULL,
  legal_trigger TEXT NOT NULL,
  state VARCHAR(16) NOT NULL,                      -- draft | submitted | returned | published
  author_id INT UNSIGNED NOT NULL,
  reviewer_id INT UNSIGNED NULL,                   -- who approved or returned it last
  review_comment TEXT NOT NULL,
  published_version INT UNSIGNED NULL,             -- set once published
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_item_drafts_author (author_id, state),
  KEY ix_item_drafts_state (state, department_id),
  KEY ix_item_drafts_code (item_code),
  CONSTRAINT fk_item_drafts_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_item_drafts_author FOREIGN KEY (author_id) REFERENCES accounts (id),
  CONSTRAINT fk_item_drafts_reviewer FOREIGN KEY (reviewer_id) REFERENCES accounts (id),
  CONSTRAINT ck_item_drafts_state CHECK (state IN ('draft', 'submitted', 'returned', 'published')),
  CONSTRAINT ck_item_drafts_kind CHECK (change_kind IN ('create', 'amend', 'cancel', 'delegate'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
