CREATE TABLE t (
  id INT NOT NULL,
  e ENUM('a','b','c') NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, ELT(1 + seq % 3, 'a', 'b', 'c') FROM seq_1_to_1000;
