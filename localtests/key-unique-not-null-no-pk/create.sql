CREATE TABLE t (
  code CHAR(8) NOT NULL,
  v INT NULL,
  UNIQUE KEY code_uk (code)
) ENGINE=InnoDB;
INSERT INTO t SELECT LPAD(HEX(seq * 40503), 8, '0'), seq FROM seq_1_to_1500;
