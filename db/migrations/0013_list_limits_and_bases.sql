-- Real lists as departments publish them (issue 11). Limits are counted in characters and
-- generous (portal/publishing/catalog.h, ItemLimits): names of 300 characters are normal.
-- Legal bases keep the basis as the list wrote it beside its parsed title/article/text, and a
-- key of the law's title (lawKey() in portal/publishing/legal_basis.h: no 《》, no edition
-- note, no 中华人民共和国) so that every item citing one law can be found.
ALTER TABLE list_items MODIFY name VARCHAR(1000) NOT NULL;
ALTER TABLE list_item_versions
  MODIFY name VARCHAR(1000) NOT NULL,
  MODIFY implementing_body VARCHAR(500) NOT NULL,
  MODIFY exercise_level VARCHAR(100) NOT NULL,
  MODIFY supervision_phone VARCHAR(200) NOT NULL,
  MODIFY sub_items MEDIUMTEXT NOT NULL,
  MODIFY responsibilities MEDIUMTEXT NOT NULL,
  MODIFY accountability MEDIUMTEXT NOT NULL,
  MODIFY remarks MEDIUMTEXT NOT NULL;
ALTER TABLE list_item_legal_bases
  MODIFY law_name VARCHAR(500) NOT NULL,
  MODIFY article VARCHAR(500) NOT NULL,
  MODIFY provision MEDIUMTEXT NOT NULL,
  ADD COLUMN as_written MEDIUMTEXT NOT NULL DEFAULT '',
  ADD COLUMN law_key VARCHAR(255) NOT NULL DEFAULT '',
  ADD KEY ix_legal_bases_law_key (law_key);
UPDATE list_item_legal_bases
  SET law_key = LEFT(REPLACE(REPLACE(REPLACE(law_name, '《', ''), '》', ''), '中华人民共和国', ''), 255);
