CREATE TABLE t (
  id INT NOT NULL,
  a INT NULL,
  s VARCHAR(20) NULL,
  KEY id_idx (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq % 10, CONCAT('s', seq) FROM seq_1_to_1000;
