CREATE TABLE t (
  u INT NULL,
  w VARCHAR(10) NULL,
  a INT NULL,
  UNIQUE KEY uw_uk (u, w)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, CONCAT('w', seq % 7), seq FROM seq_1_to_3000;
