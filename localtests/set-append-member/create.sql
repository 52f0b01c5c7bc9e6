CREATE TABLE t (
  id INT NOT NULL,
  s SET('a', 'b', 'c', 'd') NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, IF(seq % 17 = 0, NULL, seq % 16) FROM seq_1_to_1500;
