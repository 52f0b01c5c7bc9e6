CREATE TABLE t (
  id INT NOT NULL,
  e ENUM('a', 'b', 'c', 'd') NOT NULL DEFAULT 'a',
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, ELT(1 + seq % 4, 'a', 'b', 'c', 'd') FROM seq_1_to_1500;
