CREATE TABLE t (
  id INT NOT NULL,
  v INT NOT NULL,
  secret VARCHAR(20) INVISIBLE NULL,
  hidden_n INT NOT NULL DEFAULT 7 INVISIBLE,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t (id, v, secret, hidden_n) SELECT seq, seq, CONCAT('s', seq), seq * 3 FROM seq_1_to_1500;
