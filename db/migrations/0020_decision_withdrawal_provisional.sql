-- The withdrawal clock of a changed or revoked decision, like the publication clock, may reach
-- into a year whose holiday notice is not loaded yet: mark it provisional so that calendar-load
-- recomputes it.
ALTER TABLE enforcement_decisions
  ADD COLUMN withdraw_provisional TINYINT(1) NOT NULL DEFAULT 0 AFTER withdraw_due;
