-- SMS that outlast a gateway outage (issue 18). A message is retried until retry_until
-- (database time, set when it is written and again at each staff resend; sms.retry_window_s
-- after it), however many attempts that takes, with capped backoff. A message `sent` whose
-- final delivery report has not come after sms.report_timeout_s is shown to staff as overdue
-- and counted in /metrics: the (state, sent_at) key finds those without a scan.
ALTER TABLE sms_outbox
  ADD COLUMN retry_until DATETIME(3) NULL AFTER next_attempt_at,
  ADD KEY ix_sms_outbox_state_sent (state, sent_at);

-- Messages already waiting get a day from now.
UPDATE sms_outbox SET retry_until = UTC_TIMESTAMP(3) + INTERVAL 1 DAY
WHERE state IN ('queued', 'sending', 'failed');
