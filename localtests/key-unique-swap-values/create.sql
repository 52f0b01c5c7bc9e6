CREATE TABLE t (
  id INT NOT NULL,
  code INT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY code_uk (code)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq FROM seq_1_to_3000;
