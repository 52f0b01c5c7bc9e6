CREATE TABLE `données_表` (
  `ключ` INT NOT NULL,
  `名前` VARCHAR(20) CHARACTER SET utf8mb4 NULL,
  `ümlaut` INT NULL,
  PRIMARY KEY (`ключ`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `données_表` SELECT seq, CONCAT('名', seq), seq FROM seq_1_to_1500;
