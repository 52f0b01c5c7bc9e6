CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT,
  name VARCHAR(64) CHARACTER SET latin1 NOT NULL,
  note TEXT CHARACTER SET latin1,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=latin1;
INSERT INTO t (name, note)
  SELECT CONCAT('café ', seq, ' naïve'), CONCAT('Ünïcödé ', REPEAT('ÿ', seq % 7), ' £¥©®°±µ¶·¼½¾ÀÆÇÐÑ×ØÞßæ÷ø') FROM seq_1_to_1500;
