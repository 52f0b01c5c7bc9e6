CREATE TABLE t (
  e ENUM('red', 'green', 'blue') NOT NULL,
  id INT NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (e, id)
) ENGINE=InnoDB;
INSERT INTO t SELECT ELT(1 + seq % 3, 'red', 'green', 'blue'), seq, seq FROM seq_1_to_600;
