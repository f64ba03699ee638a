-- Synonyms administrators add to the shipped table (data/synonyms.tsv): a colloquial phrase
-- and the formal wordings it stands for, '|'-separated. An entry here replaces a shipped entry
-- with the same phrase. search_synonyms_version is bumped with every change so each node
-- reloads its table.

CREATE TABLE search_synonyms (
  plain VARCHAR(64) NOT NULL PRIMARY KEY,
  formal VARCHAR(1000) NOT NULL,
  updated_by VARCHAR(64) NOT NULL,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE search_synonyms_version (
  id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO search_synonyms_version (id, version) VALUES (1, 0);
