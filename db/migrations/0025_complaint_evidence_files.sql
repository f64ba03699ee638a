-- Evidence files (issue 15): photos and PDFs a complainant attaches to the web form. Stored in
-- MariaDB, written in the intake's transaction with their complaint, so they replicate with it
-- (Galera) and are in every backup. Images are re-encoded before they get here (no EXIF, no
-- GPS); PDFs are checked by their structure. Never changed after intake; shown only to staff of
-- the handling department. The limits (5 files, 10 MiB each) are hotline/evidence.h's.
CREATE TABLE complaint_evidence_files (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  complaint_id BIGINT UNSIGNED NOT NULL,
  ordinal TINYINT UNSIGNED NOT NULL,            -- 1-5, in the order the complainant chose them
  media_type VARCHAR(32) NOT NULL,              -- of the stored bytes: image/jpeg | image/png | application/pdf
  original_name VARCHAR(100) NOT NULL,          -- as the phone named it; text only, never a path
  original_type VARCHAR(16) NOT NULL,           -- what it was when received: jpeg | png | heic | pdf
  byte_size INT UNSIGNED NOT NULL,
  width INT UNSIGNED NULL,                      -- images, after re-encoding
  height INT UNSIGNED NULL,
  content LONGBLOB NOT NULL,
  UNIQUE KEY uq_complaint_evidence_ordinal (complaint_id, ordinal),
  CONSTRAINT fk_complaint_evidence_case FOREIGN KEY (complaint_id) REFERENCES complaints (id),
  CONSTRAINT ck_complaint_evidence_type
    CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  CONSTRAINT ck_complaint_evidence_ordinal CHECK (ordinal BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
