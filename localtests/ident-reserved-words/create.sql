CREATE TABLE `order` (
  `select` INT NOT NULL,
  `from` VARCHAR(20) NOT NULL,
  `key` INT NULL,
  `group` DATE NULL,
  `index` TEXT NULL,
  PRIMARY KEY (`select`),
  KEY `where` (`key`)
) ENGINE=InnoDB;
INSERT INTO `order` SELECT seq, CONCAT('from', seq), seq % 10, '2020-01-01' + INTERVAL seq DAY, 'idx' FROM seq_1_to_1500;
