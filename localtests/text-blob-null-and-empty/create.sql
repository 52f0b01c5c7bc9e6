CREATE TABLE t (
  id INT NOT NULL,
  tt TINYTEXT,
  te TEXT CHARACTER SET utf8mb4,
  mt MEDIUMTEXT CHARACTER SET latin1,
  tb TINYBLOB,
  mb MEDIUMBLOB,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t SELECT seq,
  IF(seq % 3 = 0, NULL, IF(seq % 3 = 1, '', CONCAT('tiny ', seq, '   '))),
  IF(seq % 2, '', CONCAT('text ✓ ', seq, ' ')),
  IF(seq % 5 = 0, NULL, REPEAT('é', seq % 300)),
  IF(seq % 2, 0x00, ''),
  IF(seq % 4 = 0, NULL, REPEAT(0x00, seq))
  FROM seq_1_to_1200;
