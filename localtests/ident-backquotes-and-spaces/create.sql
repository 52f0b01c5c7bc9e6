CREATE TABLE t (
  `my id` INT NOT NULL,
  `we``ird` VARCHAR(20) NULL,
  `it's` INT NULL,
  `a.b` INT NULL,
  ` lead` INT NULL,
  PRIMARY KEY (`my id`),
  KEY `key ``with`` quotes` (`we``ird`)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq, CONCAT('w', seq), seq, -seq, 0 FROM seq_1_to_1500;
