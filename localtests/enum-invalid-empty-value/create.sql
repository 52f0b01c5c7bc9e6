CREATE TABLE t (
  id INT NOT NULL,
  e ENUM('one', 'two') NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, ELT(1 + seq % 3, 'one', 'two', 'bogus') FROM seq_1_to_1200;
