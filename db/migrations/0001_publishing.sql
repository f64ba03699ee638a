-- Departments and their published power/responsibility lists (seed items 1, 2, 21).
-- List items are versioned: an edit appends a row to list_item_versions and never overwrites;
-- list_items keeps the identity and a copy of the current public version for listing.

CREATE TABLE departments (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug VARCHAR(64) NOT NULL,
  name VARCHAR(128) NOT NULL,
  short_name VARCHAR(64) NOT NULL,
  description TEXT NOT NULL,
  main_duties TEXT NOT NULL,            -- one duty per line
  complaint_scope TEXT NOT NULL,        -- 受理投诉举报的范围
  hotline_phone VARCHAR(64) NOT NULL,
  complaint_email VARCHAR(128) NOT NULL,
  postal_address VARCHAR(255) NOT NULL,
  office_hours VARCHAR(255) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_departments_slug (slug),
  UNIQUE KEY uq_departments_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE list_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(64) NOT NULL,                       -- 事项编码
  department_id INT UNSIGNED NOT NULL,
  current_version INT UNSIGNED NOT NULL,           -- the public version
  name VARCHAR(255) NOT NULL,                      -- copies of the public version's fields
  item_type VARCHAR(16) NOT NULL,                  -- see portal/publishing/item_type.h
  status VARCHAR(16) NOT NULL,                     -- in_force | cancelled | delegated
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_list_items_code (code),
  KEY ix_list_items_dept (department_id, status, item_type, code),
  CONSTRAINT fk_list_items_dept FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE list_item_versions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  item_id BIGINT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL,
  name VARCHAR(255) NOT NULL,
  item_type VARCHAR(16) NOT NULL,
  sub_items TEXT NOT NULL,                         -- one sub-item per line
  implementing_body VARCHAR(255) NOT NULL,         -- 实施主体
  exercise_level VARCHAR(64) NOT NULL,             -- 行使层级
  responsibilities TEXT NOT NULL,                  -- 责任事项, one per line
  accountability TEXT NOT NULL,                    -- 追责情形, one per line
  supervision_phone VARCHAR(64) NOT NULL,
  remarks TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  effective_date DATE NOT NULL,
  change_kind VARCHAR(16) NOT NULL,                -- create | amend | cancel | delegate
  change_reason TEXT NOT NULL,
  legal_trigger TEXT NULL,                         -- the law and what happened to it (立改废释)
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  published_at DATETIME NULL,
  UNIQUE KEY uq_item_versions (item_id, version),
  CONSTRAINT fk_item_versions_item FOREIGN KEY (item_id) REFERENCES list_items (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE list_item_legal_bases (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  version_id BIGINT UNSIGNED NOT NULL,
  position INT UNSIGNED NOT NULL,
  law_name VARCHAR(255) NOT NULL,
  article VARCHAR(64) NOT NULL,
  provision TEXT NOT NULL,
  UNIQUE KEY uq_legal_bases (version_id, position),
  CONSTRAINT fk_legal_bases_version FOREIGN KEY (version_id) REFERENCES list_item_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
