CREATE TABLE t (
  id INT NOT NULL,
  a INT NOT NULL,
  b VARCHAR(20) NOT NULL,
  total INT AS (a * 2 + 1) VIRTUAL,
  label VARCHAR(40) AS (CONCAT(b, '#', a)) VIRTUAL,
  PRIMARY KEY (id),
  KEY label_idx (label)
) ENGINE=InnoDB;
INSERT INTO t (id, a, b) SELECT seq, seq, CONCAT('b', seq) FROM seq_1_to_1500;
