CREATE TABLE t (
  id INT NOT NULL,
  name VARCHAR(50) CHARACTER SET gbk NOT NULL,
  descr TEXT CHARACTER SET gbk,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=gbk;
INSERT INTO t (id, name, descr)
  SELECT seq, CONCAT('中文', seq, '表'), CONCAT('石室诗士施氏 ', CONVERT(0x815C USING gbk), CONVERT(0x8160 USING gbk), ' 嗜狮 ', seq) FROM seq_1_to_1200;
