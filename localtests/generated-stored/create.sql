CREATE TABLE t (
  id INT NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  qty INT NOT NULL,
  amount DECIMAL(12,2) AS (price * qty) STORED,
  note VARCHAR(20) NULL,
  upper_note VARCHAR(20) AS (UPPER(note)) STORED,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t (id, price, qty, note) SELECT seq, seq / 4, seq % 13, IF(seq % 3, CONCAT('note', seq), NULL) FROM seq_1_to_1500;
