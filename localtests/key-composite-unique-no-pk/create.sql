CREATE TABLE t (
  a INT NOT NULL,
  b BIGINT NOT NULL,
  maybe INT NULL,
  v INT NOT NULL,
  UNIQUE KEY maybe_uk (maybe),
  UNIQUE KEY ab_uk (a, b)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq % 30, seq, IF(seq % 2, seq, NULL), seq FROM seq_1_to_1500;
