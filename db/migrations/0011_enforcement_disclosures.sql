-- Before-enforcement disclosures (事前公开; seed item 6, issue 7), per department, versioned like
-- list items: an edit appends a version with its reason and never overwrites.
-- section: bodies (执法主体及职权) | procedures (执法程序与流程) | inspections (随机抽查事项清单)
--          | remedies (监督救济渠道). content is the section's structured rows as JSON, see
-- portal/disclosure/.

CREATE TABLE enforcement_disclosures (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id INT UNSIGNED NOT NULL,
  section VARCHAR(16) NOT NULL,
  current_version INT UNSIGNED NOT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_disclosures (department_id, section),
  CONSTRAINT fk_disclosures_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT ck_disclosures_section CHECK (section IN ('bodies', 'procedures', 'inspections', 'remedies'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE enforcement_disclosure_versions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  disclosure_id BIGINT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL,
  content MEDIUMTEXT NOT NULL,
  change_reason TEXT NOT NULL,
  author_id INT UNSIGNED NULL,                     -- NULL: demo data
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_disclosure_versions (disclosure_id, version),
  CONSTRAINT fk_disclosure_versions_disclosure FOREIGN KEY (disclosure_id) REFERENCES enforcement_disclosures (id),
  CONSTRAINT fk_disclosure_versions_author FOREIGN KEY (author_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
