-- Several portal nodes (issue 13): what a node keeps in memory and must drop when another
-- node changed the database underneath it. One row per kind of state; a writer bumps its row
-- in the transaction that changes the state, every node polls the rows (every 500 ms) and
-- reloads or empties what moved: 'calendar' (a holiday notice loaded: reload the working-day
-- calendar), 'pages' (a staff write on any node: empty the page cache). SQL in
-- db/generations.cpp.
CREATE TABLE cluster_generations (
  name VARCHAR(32) NOT NULL PRIMARY KEY,
  generation BIGINT UNSIGNED NOT NULL,
  changed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

INSERT INTO cluster_generations (name, generation) VALUES ('calendar', 1), ('pages', 1);
