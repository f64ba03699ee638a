-- After-enforcement decisions (事后公开; issue 7): administrative penalty decisions published
-- within 7 working days of the decision date, other decisions within 20; a decision changed or
-- revoked later is withdrawn within 3 working days with the reason, and the public page then
-- shows the withdrawal instead of the content. A decision about a minor is never published.

CREATE TABLE enforcement_decisions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id INT UNSIGNED NOT NULL,
  decision_number VARCHAR(64) NOT NULL,            -- 决定书文号
  decision_kind VARCHAR(16) NOT NULL,              -- penalty (7 working days) | other (20)
  party_kind VARCHAR(16) NOT NULL,                 -- organisation | person
  party_name VARCHAR(255) NOT NULL,                -- a person's name is shown masked
  facts TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  outcome_type VARCHAR(16) NOT NULL,               -- see portal/disclosure/decision.h
  outcome_text TEXT NOT NULL,
  fine_amount_fen BIGINT UNSIGNED NULL,
  decision_date DATE NOT NULL,
  publish_due DATE NOT NULL,
  publish_provisional TINYINT(1) NOT NULL DEFAULT 0,
  involves_minor TINYINT(1) NOT NULL DEFAULT 0,
  state VARCHAR(16) NOT NULL,                      -- draft | published | withdrawn
  confirmed_findings TEXT NOT NULL,                -- redaction findings the editor confirmed (JSON)
  published_at DATETIME NULL,
  published_on DATE NULL,
  changed_on DATE NULL,                            -- the day the decision was changed or revoked
  withdraw_due DATE NULL,
  withdrawn_at DATETIME NULL,
  withdrawn_on DATE NULL,
  withdraw_reason TEXT NULL,
  retired_at DATETIME NULL,                       -- left the public pages and the index (retention)
  author_id INT UNSIGNED NULL,                     -- NULL: demo data or the console
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_decisions_number (department_id, decision_number),
  KEY ix_decisions_state_due (state, publish_due),
  KEY ix_decisions_public (state, published_on),
  KEY ix_decisions_dept (department_id, state, decision_date),
  CONSTRAINT fk_decisions_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_decisions_author FOREIGN KEY (author_id) REFERENCES accounts (id),
  CONSTRAINT ck_decisions_state CHECK (state IN ('draft', 'published', 'withdrawn')),
  CONSTRAINT ck_decisions_kind CHECK (decision_kind IN ('penalty', 'other')),
  CONSTRAINT ck_decisions_party CHECK (party_kind IN ('organisation', 'person'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
