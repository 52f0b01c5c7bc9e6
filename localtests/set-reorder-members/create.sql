CREATE TABLE t (
  id INT NOT NULL,
  s SET('w', 'x', 'y', 'z') NOT NULL DEFAULT '',
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq % 16 FROM seq_1_to_1500;
