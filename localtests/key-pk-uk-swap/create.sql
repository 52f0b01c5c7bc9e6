CREATE TABLE t (
  id INT NOT NULL,
  code VARCHAR(20) NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY code_uk (code)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, CONCAT('C', LPAD(seq * 7919 % 100000, 6, '0')), seq FROM seq_1_to_1500;
