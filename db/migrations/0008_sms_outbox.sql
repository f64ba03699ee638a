-- SMS to complainants (issue 6): the transactional outbox. A row is written in the same
-- transaction as the complaint event that triggers it, so a committed event always has its
-- message and a rolled-back one never does. Dispatchers on any node claim due rows with
-- SELECT ... FOR UPDATE SKIP LOCKED. SQL lives in hotline/sms_outbox_store.cpp.
--
-- States: queued (due at next_attempt_at) -> sending (claimed until lease_until) -> sent
-- (accepted by the gateway) -> delivered | failed (from the delivery report). A retryable
-- error puts a sending row back to queued with a later next_attempt_at; a permanent one, the
-- last allowed attempt or the daily limit makes it failed, with last_error saying why.
-- Scheduling columns (next_attempt_at, lease_until, sent_at, dlr_at) are database time
-- (UTC_TIMESTAMP), so nodes with skewed clocks agree on what is due; created_at/created_on
-- are Beijing time like complaint_events.
CREATE TABLE sms_outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  complaint_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,            -- the complaint_events row that triggered it
  event_kind VARCHAR(32) NOT NULL,
  recipient VARCHAR(16) NOT NULL,               -- +8613812345678
  text TEXT NOT NULL,                           -- rendered, signature included
  segments SMALLINT UNSIGNED NOT NULL,          -- 70 characters in one SMS, 67 per part beyond
  state VARCHAR(16) NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,     -- gateway attempts so far (claims)
  attempt_base INT UNSIGNED NOT NULL DEFAULT 0, -- attempts before the last staff resend
  next_attempt_at DATETIME(3) NOT NULL,         -- queued: due then; sending: the lease's end
  lease_until DATETIME(3) NULL,                 -- set while sending
  last_error VARCHAR(500) NULL,
  gateway VARCHAR(64) NULL,                     -- the adapter that accepted it
  gateway_message_id VARCHAR(128) NULL,
  dlr_token CHAR(32) NOT NULL,                  -- our id in the delivery-report URL
  dlr_status VARCHAR(32) NULL,                  -- last report: delivered, failed, queued, ...
  dlr_at DATETIME(3) NULL,
  created_at DATETIME NOT NULL,
  created_on DATE NOT NULL,                     -- Beijing date, for the per-number daily limit
  sent_at DATETIME(3) NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY uq_sms_outbox_event (complaint_id, event_id),  -- the idempotency key
  UNIQUE KEY uq_sms_outbox_dlr (dlr_token),
  KEY ix_sms_outbox_due (state, next_attempt_at),
  KEY ix_sms_outbox_recipient (recipient, created_on),
  CONSTRAINT fk_sms_outbox_complaint FOREIGN KEY (complaint_id) REFERENCES complaints (id),
  CONSTRAINT fk_sms_outbox_event FOREIGN KEY (event_id) REFERENCES complaint_events (id),
  CONSTRAINT ck_sms_outbox_state
    CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
