-- Amendment impact (issue 11, item 7): the legal office records a law that was amended or
-- repealed and flags the items that cite it. A flag belongs to the item's public version at
-- the time (flagged_version): it shows on the public page while that version is still the
-- public one, and clears by itself when the department publishes a change to the item.
CREATE TABLE law_amendments (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(500) NOT NULL,          -- as the legal office wrote it
  law_key VARCHAR(255) NOT NULL,        -- lawKey() of the title, see legal_basis.h
  kind VARCHAR(16) NOT NULL,            -- amended | repealed
  note TEXT NOT NULL,                   -- the reason given when flagging
  created_by BIGINT UNSIGNED NULL,      -- staff account; NULL from the console
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_law_amendments_key (law_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE list_item_basis_flags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  item_id BIGINT UNSIGNED NOT NULL,
  amendment_id INT UNSIGNED NOT NULL,
  flagged_version INT UNSIGNED NOT NULL,  -- the item's public version when flagged
  articles TEXT NOT NULL,                 -- the articles that version cited, one per line
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_basis_flags (item_id, amendment_id),
  KEY ix_basis_flags_amendment (amendment_id),
  CONSTRAINT fk_basis_flags_item FOREIGN KEY (item_id) REFERENCES list_items (id),
  CONSTRAINT fk_basis_flags_amendment FOREIGN KEY (amendment_id) REFERENCES law_amendments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
