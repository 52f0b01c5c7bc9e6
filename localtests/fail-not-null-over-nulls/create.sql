CREATE TABLE t (
  id INT NOT NULL,
  a INT NULL,
  s VARCHAR(20) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, IF(seq % 7 = 0, NULL, seq), CONCAT('s', seq) FROM seq_1_to_1000;
