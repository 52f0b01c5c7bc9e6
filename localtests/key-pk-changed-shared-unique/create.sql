CREATE TABLE t (
  id INT NOT NULL,
  u INT NOT NULL,
  code VARCHAR(12) NOT NULL,
  v VARCHAR(20) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY code_uidx (code),
  UNIQUE KEY u_uidx (u)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, seq * 7 % 10007, CONCAT('c', seq), CONCAT('v', seq) FROM seq_1_to_3000;
