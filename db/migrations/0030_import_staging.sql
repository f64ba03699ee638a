-- A list file between its preview and its confirmation (audit H3): the preview keeps the
-- uploaded bytes here under the digest of a random token, and the confirmation form carries
-- only the token (the file went back and forth base64-encoded in a hidden field, so a list
-- over about 380 KB passed the preview and failed the confirmation with 413). In MariaDB, not
-- in a node's DATA_DIR: with several nodes the confirmation may reach another node than the
-- preview (DESIGN.md, Scale), and evidence files live here for the same reason (0025).
-- A row belongs to one department and to the account that uploaded it; it expires a few hours
-- after the upload (ImportOptions::staging_lifetime) and is deleted in the transaction that
-- applies it. Expired rows are deleted whenever a file is staged.
CREATE TABLE IF NOT EXISTS import_staging (
  id CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,  -- tokenDigest(token)
  department_id INT UNSIGNED NOT NULL,
  account_id INT UNSIGNED NOT NULL,
  byte_size INT UNSIGNED NOT NULL,
  content LONGBLOB NOT NULL,
  created_at DATETIME(6) NOT NULL,                -- Beijing time, like every DATETIME column
  expires_at DATETIME(6) NOT NULL,
  KEY ix_import_staging_expires (expires_at),
  CONSTRAINT fk_import_staging_department FOREIGN KEY (department_id) REFERENCES departments (id)
    ON DELETE CASCADE,
  CONSTRAINT fk_import_staging_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
