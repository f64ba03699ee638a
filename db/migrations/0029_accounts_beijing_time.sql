-- One time convention (issue 16, docs/time.md): the accounts tables of 0004 held UTC while
-- every other DATETIME column holds Beijing time. Their values move to Beijing time (UTC+8, no
-- daylight saving), written from then on by the accounts code with toSqlBeijing().
--
-- CONVERT_TZ with numeric offsets needs no time-zone tables (a private MariaDB has none).
-- The runner records a migration only after its last statement, so a run cut short is run
-- again from the start: the values move only while time_conversions lacks this conversion's
-- row, and the row is written in the same transaction as the values, so they move exactly
-- once. The audit log's append-only triggers are dropped for the one UPDATE and made again
-- (IF [NOT] EXISTS: either may already be done by a run cut short). No table is rebuilt: the
-- rows are updated in place in one transaction, so readers see all of it or none.
-- Upgrade: stop the old portal nodes before migrating (as for every migration): a node still
-- running the old binary would go on writing UTC.

CREATE TABLE IF NOT EXISTS time_conversions (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  done_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS audit_log_no_update;

START TRANSACTION;

UPDATE accounts
SET created_at = CONVERT_TZ(created_at, '+00:00', '+08:00'),
    password_changed_at = CONVERT_TZ(password_changed_at, '+00:00', '+08:00')
WHERE NOT EXISTS (SELECT 1 FROM time_conversions WHERE name = 'accounts_utc_to_beijing');

UPDATE sessions
SET created_at = CONVERT_TZ(created_at, '+00:00', '+08:00'),
    last_seen_at = CONVERT_TZ(last_seen_at, '+00:00', '+08:00'),
    expires_at = CONVERT_TZ(expires_at, '+00:00', '+08:00')
WHERE NOT EXISTS (SELECT 1 FROM time_conversions WHERE name = 'accounts_utc_to_beijing');

UPDATE login_attempts
SET at = CONVERT_TZ(at, '+00:00', '+08:00')
WHERE NOT EXISTS (SELECT 1 FROM time_conversions WHERE name = 'accounts_utc_to_beijing');

UPDATE audit_log
SET at = CONVERT_TZ(at, '+00:00', '+08:00')
WHERE NOT EXISTS (SELECT 1 FROM time_conversions WHERE name = 'accounts_utc_to_beijing');

INSERT IGNORE INTO time_conversions (name) VALUES ('accounts_utc_to_beijing');

COMMIT;

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
