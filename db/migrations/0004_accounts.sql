-- Staff accounts, login sessions, login rate limiting and the append-only audit log (issue 3,
-- items 1 and 5). Every time in these tables is UTC, written by the application's clock with
-- microseconds (DATETIME(6)); pages show Beijing time.

CREATE TABLE accounts (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username VARCHAR(64) NOT NULL,                   -- lower-case ASCII, see portal/accounts
  display_name VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- $argon2id$...
  role VARCHAR(16) NOT NULL,                       -- editor | reviewer | admin
  department_id INT UNSIGNED NULL,                 -- required for editors
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(6) NOT NULL,
  password_changed_at DATETIME(6) NOT NULL,
  UNIQUE KEY uq_accounts_username (username),
  KEY ix_accounts_dept (department_id),
  CONSTRAINT fk_accounts_dept FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT ck_accounts_role CHECK (role IN ('editor', 'reviewer', 'admin')),
  CONSTRAINT ck_accounts_editor_dept CHECK (role <> 'editor' OR department_id IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The cookie carries a random 32-byte token; only its BLAKE2b-256 digest is stored, so a
-- leaked table (or backup) opens no session.
CREATE TABLE sessions (
  id CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  account_id INT UNSIGNED NOT NULL,
  csrf_secret CHAR(43) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,                 -- min(last_seen + idle, created + max)
  remote_addr VARCHAR(64) NOT NULL,
  user_agent VARCHAR(255) NOT NULL,
  KEY ix_sessions_account (account_id),
  KEY ix_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_account FOREIGN KEY (account_id) REFERENCES accounts (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per login attempt, written before the password is checked, so that every server
-- node (and concurrent attempts on one node) count the same attempts. The username is as
-- typed (normalised) and need not exist.
CREATE TABLE login_attempts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  username VARCHAR(64) NOT NULL,
  remote_addr VARCHAR(64) NOT NULL,
  outcome VARCHAR(16) NOT NULL,                    -- pending | failed | succeeded | refused
  KEY ix_login_attempts_user (username, at),
  KEY ix_login_attempts_addr (remote_addr, at),
  KEY ix_login_attempts_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: the application has no code that updates or deletes a row, and the triggers
-- below refuse it at the database too. No foreign keys: an audit row must never block or be
-- cascaded by a change elsewhere.
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  account_id INT UNSIGNED NULL,                    -- NULL: the console (portalctl) or unknown
  username VARCHAR(64) NOT NULL,
  remote_addr VARCHAR(64) NOT NULL,
  action VARCHAR(64) NOT NULL,                     -- e.g. login.success, account.create
  department_id INT UNSIGNED NULL,
  object_type VARCHAR(32) NOT NULL,
  object_id VARCHAR(64) NOT NULL,
  summary VARCHAR(500) NOT NULL,
  before_json JSON NULL,
  after_json JSON NULL,
  KEY ix_audit_at (at),
  KEY ix_audit_account (account_id, at),
  KEY ix_audit_dept (department_id, at),
  KEY ix_audit_action (action, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
