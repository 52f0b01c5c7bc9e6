CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT,
  tag VARCHAR(32) NOT NULL,
  msg VARCHAR(200),
  PRIMARY KEY (id),
  UNIQUE KEY tag_uk (tag)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO t (tag, msg)
  SELECT CONCAT('😀', seq, '𝄞'), CONCAT('𠜎𠜱 emoji 🎉🚀 ', seq, ' 👩‍👩‍👧') FROM seq_1_to_1500;
