-- Attachment metadata (issue 5, intake): evidence the complainant says they hold, so the
-- handler can ask for it. No file is stored; the portal accepts no uploads. Rows are written in
-- the intake's transaction with their complaint and never changed. An Open311 media_url is one
-- row of kind 'other' with the URL as its file name. Limits are characters (see
-- hotline/complaint_attachment.h); the service checks them with Chinese messages first.
CREATE TABLE complaint_attachments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  complaint_id BIGINT UNSIGNED NOT NULL,
  ordinal TINYINT UNSIGNED NOT NULL,            -- 1-5, in the order the complainant gave them
  kind VARCHAR(16) NOT NULL,                    -- photo | video | audio | document | other
  file_name VARCHAR(100) NOT NULL,              -- as the complainant has it; text, not a path
  description VARCHAR(200) NOT NULL DEFAULT '',
  UNIQUE KEY uq_complaint_attachments_ordinal (complaint_id, ordinal),
  CONSTRAINT fk_complaint_attachments_case FOREIGN KEY (complaint_id) REFERENCES complaints (id),
  CONSTRAINT ck_complaint_attachments_kind
    CHECK (kind IN ('photo', 'video', 'audio', 'document', 'other')),
  CONSTRAINT ck_complaint_attachments_ordinal CHECK (ordinal BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
