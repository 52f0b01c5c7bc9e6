CREATE TABLE t (
  id INT NOT NULL,
  e ENUM('red', 'green', 'blue') NULL,
  e2 ENUM('x', 'y') NOT NULL DEFAULT 'y',
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, ELT(1 + seq % 4, 'red', 'green', 'blue', NULL), IF(seq % 2, 'x', 'y') FROM seq_1_to_1500;
