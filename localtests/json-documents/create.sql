CREATE TABLE t (
  id INT NOT NULL,
  doc JSON NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO t SELECT seq, JSON_OBJECT('n', seq, 'name', CONCAT('名前', seq), 'tags', JSON_ARRAY('a', seq, 1.5, TRUE, NULL), 'nested', JSON_OBJECT('q', 'say "hi"\\n', 'e', '😀')) FROM seq_1_to_1500;
INSERT INTO t VALUES (0, 'null'), (-1, NULL), (-2, '[]'), (-3, '{}'), (-4, '"just a string"'), (-5, '1e308');
