-- Corrections (更正) of published enforcement decisions (outside audit M5): a mistake in a
-- published decision (a misspelt party, a mistyped amount, a wrong article) is corrected in
-- place: the decision keeps its address and its publication date, the public page lists every
-- correction with its public note (更正说明), and the content before and after stays here.
CREATE TABLE decision_corrections (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  decision_id BIGINT UNSIGNED NOT NULL,
  corrected_at DATETIME NOT NULL,                  -- Beijing time
  corrected_on DATE NOT NULL,                      -- shown: 本决定信息已于…更正
  note TEXT NOT NULL,                              -- 更正说明, public (a person-party masked)
  before_json JSON NOT NULL,                       -- the decision's fields before
  after_json JSON NOT NULL,                        -- and after the correction
  author_id INT UNSIGNED NULL,                     -- NULL: the console
  KEY ix_decision_corrections (decision_id, corrected_at),
  CONSTRAINT fk_decision_corrections_decision FOREIGN KEY (decision_id)
    REFERENCES enforcement_decisions (id),
  CONSTRAINT fk_decision_corrections_author FOREIGN KEY (author_id) REFERENCES accounts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
