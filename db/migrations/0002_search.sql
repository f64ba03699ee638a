-- The search change log (DESIGN.md, Search): every publish, change, cancel or withdrawal
-- appends a row in the same transaction; each node's index writer applies the rows in seq
-- order. Seq numbers come from search_log_head, whose row is locked until the writing
-- transaction commits, so rows become visible in seq order and a reader never skips one.

CREATE TABLE search_log_head (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  last_seq BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO search_log_head (id, last_seq) VALUES (1, 0);

CREATE TABLE search_changes (
  seq BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  doc_kind VARCHAR(16) NOT NULL,     -- item | department
  doc_key VARCHAR(128) NOT NULL,     -- item code or department slug
  op VARCHAR(8) NOT NULL,            -- upsert | remove
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Queries that found nothing, for administrators to improve the synonym table.
CREATE TABLE search_zero_results (
  query VARCHAR(200) NOT NULL PRIMARY KEY,
  times BIGINT UNSIGNED NOT NULL DEFAULT 1,
  first_seen DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
