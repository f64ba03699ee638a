-- The column and type mapping a department confirmed for its list files (issue 11): the next
-- import of a file with the same headers reads it the same way without asking again.
CREATE TABLE import_mappings (
  department_id INT UNSIGNED NOT NULL PRIMARY KEY,
  choices_json MEDIUMTEXT NOT NULL,   -- see portal/publishing/import_mapping_store.h
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  CONSTRAINT fk_import_mappings_dept FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
