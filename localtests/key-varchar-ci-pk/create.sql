CREATE TABLE t (
  k VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (k)
) ENGINE=InnoDB;
INSERT INTO t SELECT CONCAT(IF(seq % 2, 'key', 'KEY'), '-', seq, IF(seq % 3 = 0, 'ß', 'é')), seq FROM seq_1_to_1500;
