-- Complaint hotline (seed items 10, 16, 21, 24): unified registration numbers, the working-day
-- calendar, complaints with their statutory deadlines, and the append-only event log that
-- notifications (SMS) consume. SQL lives in hotline/*_store.cpp; rules in hotline/*_service.cpp.

-- Where a case comes from; the code is the prefix of its registration number (seed item 16).
CREATE TABLE complaint_sources (
  code CHAR(2) NOT NULL PRIMARY KEY,
  name VARCHAR(32) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO complaint_sources (code, name, sort_order) VALUES
  ('TS', '投诉举报', 1),
  ('XC', '巡查发现', 2),
  ('JB', '上级交办', 3),
  ('ZB', '部门转办', 4);

-- One gap-free sequence per (year, source). The row is created (committed) before the insert's
-- transaction, then incremented inside it with a row lock held until commit: a rolled-back
-- intake gives its number back, and numbers are handed out in commit order.
CREATE TABLE registration_sequences (
  year SMALLINT UNSIGNED NOT NULL,
  source CHAR(2) NOT NULL,
  last_number INT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (year, source),
  CONSTRAINT fk_regseq_source FOREIGN KEY (source) REFERENCES complaint_sources (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A global list; Open311 "services" are these codes.
CREATE TABLE complaint_categories (
  code VARCHAR(32) NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1,
  UNIQUE KEY uq_complaint_categories_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO complaint_categories (code, name, sort_order) VALUES
  ('city_appearance', '市容环境', 1),
  ('street_vending', '占道经营', 2),
  ('noise', '噪声扰民', 3),
  ('construction', '建筑施工', 4),
  ('food_safety', '食品安全', 5),
  ('market_order', '市场秩序', 6),
  ('pollution', '环境污染', 7),
  ('health', '医疗卫生', 8),
  ('labour', '劳动保障', 9),
  ('work_safety', '安全生产', 10),
  ('transport', '交通运输', 11),
  ('officer_conduct', '执法人员行为', 12),
  ('other', '其他', 99);

-- Coded reasons for 不予受理; the complainant sees the name and the handler's text.
CREATE TABLE reject_reasons (
  code VARCHAR(32) NOT NULL PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  active TINYINT(1) NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO reject_reasons (code, name, sort_order) VALUES
  ('out_of_scope', '不属于行政执法投诉举报受理范围', 1),
  ('no_facts', '未提供具体的违法事实或线索', 2),
  ('duplicate', '重复投诉，且无新的事实和理由', 3),
  ('other_procedure', '已进入或应当通过诉讼、仲裁、行政复议等法定途径解决', 4),
  ('time_barred', '超过法定时效', 5),
  ('other', '其他法定不予受理情形', 99);

-- The State Council holiday notices, one row per listed date (hotline::parseCalendarTsv).
-- A year counts as loaded when it has at least one row.
CREATE TABLE calendar_days (
  day DATE NOT NULL PRIMARY KEY,
  kind VARCHAR(8) NOT NULL,             -- holiday | workday (调休上班)
  name VARCHAR(64) NOT NULL,
  notice VARCHAR(255) NOT NULL,
  loaded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT ck_calendar_days_kind CHECK (kind IN ('holiday', 'workday'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE complaints (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  registration_no VARCHAR(64) NOT NULL,
  source CHAR(2) NOT NULL,
  reg_year SMALLINT UNSIGNED NOT NULL,
  reg_seq INT UNSIGNED NOT NULL,
  channel VARCHAR(16) NOT NULL,                 -- web | phone | open311 | letter | visit | email
  department_id INT UNSIGNED NULL,              -- NULL: the complainant was not sure; assign it
  category VARCHAR(32) NOT NULL,
  description TEXT NOT NULL,                    -- as typed (HTML is text), at most 5000 chars
  location VARCHAR(255) NOT NULL DEFAULT '',
  latitude DECIMAL(9, 6) NULL,
  longitude DECIMAL(9, 6) NULL,
  complainant_name VARCHAR(64) NULL,            -- NULL: anonymous
  complainant_phone VARCHAR(32) NULL,           -- normalised (13812345678, 0431-81912345)
  tracking_code_hash VARCHAR(255) NOT NULL,     -- argon2id (libsodium crypto_pwhash_str)
  tracking_code_sealed VARCHAR(255) NOT NULL,   -- hex secretbox, key derived from the idempotency key
  idempotency_key_hash CHAR(64) NOT NULL,       -- hex BLAKE2b-256 of the client's key
  operator_account VARCHAR(64) NULL,            -- who typed in a phone call
  state VARCHAR(16) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,      -- bumped by every change (optimistic checks)
  received_at DATETIME NOT NULL,                -- Beijing time
  received_date DATE NOT NULL,
  ack_working_days TINYINT UNSIGNED NOT NULL,
  ack_due DATE NOT NULL,
  ack_due_provisional TINYINT(1) NOT NULL,
  acknowledged_on DATE NULL,                    -- accepted or rejected (a transfer is not)
  handling_working_days SMALLINT UNSIGNED NOT NULL,
  handling_due DATE NOT NULL,                   -- counted from receipt too
  handling_due_provisional TINYINT(1) NOT NULL,
  transferred_from_department_id INT UNSIGNED NULL,
  transferred_at DATETIME NULL,
  transfer_reason TEXT NULL,
  reject_reason_code VARCHAR(32) NULL,
  reject_reason_text TEXT NULL,
  result_text TEXT NULL,
  concluded_on DATE NULL,
  evaluation VARCHAR(32) NULL,                  -- satisfied | basically_satisfied | unsatisfied
  evaluation_comment TEXT NULL,
  evaluated_at DATETIME NULL,
  reopened_count INT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME NOT NULL,
  UNIQUE KEY uq_complaints_regno (registration_no),
  UNIQUE KEY uq_complaints_seq (reg_year, source, reg_seq),
  UNIQUE KEY uq_complaints_idem (idempotency_key_hash),
  KEY ix_complaints_queue (department_id, state, ack_due),
  KEY ix_complaints_state (state, handling_due),
  KEY ix_complaints_received (received_date),
  KEY ix_complaints_provisional (ack_due_provisional, handling_due_provisional),
  CONSTRAINT fk_complaints_source FOREIGN KEY (source) REFERENCES complaint_sources (code),
  CONSTRAINT fk_complaints_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_complaints_from_dept FOREIGN KEY (transferred_from_department_id)
    REFERENCES departments (id),
  CONSTRAINT fk_complaints_category FOREIGN KEY (category) REFERENCES complaint_categories (code),
  CONSTRAINT fk_complaints_reject FOREIGN KEY (reject_reason_code) REFERENCES reject_reasons (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only (no code path updates or deletes a row): every state change, note and
-- noteworthy read, written in the same transaction as the change it records. This is the
-- outbox notifications consume.
CREATE TABLE complaint_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  complaint_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(32) NOT NULL,                    -- see hotline/complaint.h EventKind
  from_state VARCHAR(16) NULL,
  to_state VARCHAR(16) NULL,
  is_public TINYINT(1) NOT NULL,                -- shown on the tracking page
  actor VARCHAR(64) NOT NULL,                   -- staff account, 'complainant' or 'system'
  department_id INT UNSIGNED NULL,              -- acting department, or a transfer's target
  reason_code VARCHAR(32) NULL,
  text TEXT NULL,
  created_at DATETIME NOT NULL,
  KEY ix_complaint_events_case (complaint_id, id),
  CONSTRAINT fk_complaint_events_case FOREIGN KEY (complaint_id) REFERENCES complaints (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
