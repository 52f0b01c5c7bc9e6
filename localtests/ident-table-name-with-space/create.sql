CREATE TABLE `my table-x` (
  id INT NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO `my table-x` SELECT seq, seq FROM seq_1_to_1500;
