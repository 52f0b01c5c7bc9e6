CREATE TABLE t (
  u INT NULL,
  a INT NULL,
  UNIQUE KEY u_uk (u)
) ENGINE=InnoDB;
INSERT INTO t SELECT IF(seq % 5 = 0, NULL, seq), seq FROM seq_1_to_1000;
