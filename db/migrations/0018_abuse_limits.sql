-- Abuse limits (issue 18), shared by every node through this database, never a node's memory.
--
-- rate_limit_hits: fixed-window counters. One row per (scope, subject, window): complaint
-- intake per client address, per complainant phone and per Open311 key. The subject is a
-- BLAKE2b hash of the value (no phone numbers or keys in clear). Windows are the database's
-- clock (Beijing time, the session time zone of every connection), so nodes with skewed clocks agree; rows whose window has ended are deleted
-- as new ones are written. SQL in hotline/rate_limit_store.cpp.
CREATE TABLE rate_limit_hits (
  scope VARCHAR(16) NOT NULL,                 -- address | phone | api_key
  subject CHAR(64) NOT NULL,                  -- hex BLAKE2b-256 of the value
  window_end DATETIME NOT NULL,               -- the window is [window_end - length, window_end)
  hits INT UNSIGNED NOT NULL,
  PRIMARY KEY (scope, subject, window_end),
  KEY ix_rate_limit_hits_end (window_end)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- What each complaint was submitted with (a BLAKE2b hash of its normalised fields), so that
-- an idempotency key sent again with a different body is refused (409) instead of answered
-- with the first complaint's tracking code. Complaints older than this table have no row and
-- are replayed as before.
CREATE TABLE complaint_intake_fingerprints (
  complaint_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  fingerprint CHAR(64) NOT NULL,
  CONSTRAINT fk_intake_fingerprint_complaint FOREIGN KEY (complaint_id) REFERENCES complaints (id)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Messages handed to the gateway per recipient per Beijing day: every enqueued message and
-- every staff resend adds one, under a row lock, so the daily cap holds for every path and for
-- concurrent writers. A resend beyond the cap needs an explicit override, which is audited.
CREATE TABLE sms_recipient_days (
  recipient VARCHAR(16) NOT NULL,
  day DATE NOT NULL,
  messages INT UNSIGNED NOT NULL,
  PRIMARY KEY (recipient, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Today's counts for numbers that already have messages, so the cap holds across the upgrade.
INSERT INTO sms_recipient_days (recipient, day, messages)
SELECT recipient, created_on, COUNT(*) FROM sms_outbox
WHERE NOT (state = 'failed' AND attempts = 0)
GROUP BY recipient, created_on;
