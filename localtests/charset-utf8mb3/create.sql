CREATE TABLE t (
  id INT NOT NULL AUTO_INCREMENT,
  name VARCHAR(100) NOT NULL,
  body MEDIUMTEXT,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci;
INSERT INTO t (name, body)
  SELECT CONCAT('名前', seq, ' €'), CONCAT(REPEAT('中文字符', seq % 5), ' Ελληνικά Русский ₹ ', seq) FROM seq_1_to_1500;
