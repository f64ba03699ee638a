-- Enforcement officers and their certificates (行政执法证件; seed item 12, issue 7).
-- A certificate is valid only while its inspection is current: inspected every 3 years (检验),
-- one past its term without the inspection mark is invalid. A change of post, category or region
-- re-issues the certificate: the old row becomes 'replaced' and points at the new one.
-- Public: the officer's name, certificate number, department, category, region and validity
-- (what 行政执法公示 publishes); nothing else about the person is stored.

CREATE TABLE officers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id INT UNSIGNED NOT NULL,
  name VARCHAR(64) NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,            -- 0: left enforcement work (not listed)
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY ix_officers_dept (department_id, active, name),
  CONSTRAINT fk_officers_dept FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE officer_certificates (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  officer_id BIGINT UNSIGNED NOT NULL,
  department_id INT UNSIGNED NOT NULL,
  number VARCHAR(32) NOT NULL,                     -- 执法证号, normalised (half-width, upper case)
  category VARCHAR(64) NOT NULL,                   -- 执法类别
  region VARCHAR(128) NOT NULL,                    -- 执法区域
  post VARCHAR(128) NOT NULL,                      -- 工作岗位
  issued_on DATE NOT NULL,
  last_inspected_on DATE NULL,                     -- the latest inspection mark (年检标识)
  status VARCHAR(16) NOT NULL,                     -- active | replaced | revoked
  replaced_by_id BIGINT UNSIGNED NULL,
  ended_on DATE NULL,                              -- replaced or revoked on
  end_reason TEXT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_certificates_number (number),
  KEY ix_certificates_officer (officer_id, status),
  KEY ix_certificates_dept (department_id, status),
  CONSTRAINT fk_certificates_officer FOREIGN KEY (officer_id) REFERENCES officers (id),
  CONSTRAINT fk_certificates_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_certificates_replaced FOREIGN KEY (replaced_by_id) REFERENCES officer_certificates (id),
  CONSTRAINT ck_certificates_status CHECK (status IN ('active', 'replaced', 'revoked'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
