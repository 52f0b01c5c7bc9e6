CREATE TABLE t (
  id INT NOT NULL,
  status ENUM('new', 'active', 'closed', 'déjà vu') CHARACTER SET utf8mb4 NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, ELT(1 + seq % 5, 'new', 'active', 'closed', 'déjà vu', NULL) FROM seq_1_to_1500;
