CREATE TABLE t (
  id INT NOT NULL,
  junk VARCHAR(10) NULL,
  a INT NOT NULL,
  v INT AS (a + 100) VIRTUAL,
  b INT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t (id, junk, a, b) SELECT seq, 'junk', seq, -seq FROM seq_1_to_1500;
