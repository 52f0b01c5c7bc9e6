CREATE TABLE t (
  id INT NOT NULL,
  name VARCHAR(50) COLLATE utf8mb4_general_ci NOT NULL,
  PRIMARY KEY (id),
  KEY name_idx (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
INSERT INTO t SELECT seq, IF(seq % 2, CONCAT('Name', seq), CONCAT('NAME', seq, ' ')) FROM seq_1_to_1500;
