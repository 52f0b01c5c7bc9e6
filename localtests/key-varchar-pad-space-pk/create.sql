CREATE TABLE t (
  k VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  np VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (k),
  UNIQUE KEY np_uk (np)
) ENGINE=InnoDB;
INSERT INTO t SELECT CONCAT('k', seq, IF(seq % 2, '  ', '')), CONCAT('n', seq), seq FROM seq_1_to_1000;
INSERT INTO t SELECT CONCAT('n', seq, ' '), CONCAT('m', seq, ' '), -seq FROM seq_1_to_500;
