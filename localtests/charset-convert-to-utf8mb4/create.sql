CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT,
  name VARCHAR(60) NOT NULL,
  note TEXT,
  code CHAR(3) NOT NULL DEFAULT 'abc',
  PRIMARY KEY (id),
  KEY name_idx (name)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
INSERT INTO t (name, note, code)
  SELECT CONCAT('Zoë ', seq), CONCAT('crème brûlée ', seq, ' ¿¡'), LPAD(seq % 1000, 3, '0') FROM seq_1_to_1500;
