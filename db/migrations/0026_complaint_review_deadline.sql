-- The review clock (issue 15): a complaint reopened after 不满意 (复核中) gets its own deadline,
-- hotline.review_working_days working days counted from the day after it was reopened (the
-- legal office sets the period in configuration). Provisional like the others when it reaches
-- into a year whose holiday notice is not loaded; calendar-load recomputes it.
ALTER TABLE complaints
  ADD COLUMN reopened_on DATE NULL,
  ADD COLUMN review_working_days SMALLINT UNSIGNED NULL,
  ADD COLUMN review_due DATE NULL,
  ADD COLUMN review_due_provisional TINYINT(1) NOT NULL DEFAULT 0;
