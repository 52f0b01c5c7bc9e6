CREATE TABLE t (
  id INT NOT NULL,
  ip INET6 NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO t VALUES (1, '::'), (2, '::1'), (3, 'fe80::'), (4, '::ffff:192.168.0.1'), (5, NULL), (6, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
INSERT INTO t SELECT 10 + seq, CONCAT('2001:db8:', HEX(seq), '::') FROM seq_1_to_1200;
