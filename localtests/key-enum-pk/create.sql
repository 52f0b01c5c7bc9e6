CREATE TABLE t (
  e ENUM('red', 'green', 'blue', 'orange') NOT NULL,
  id INT NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (e, id)
) ENGINE=InnoDB;
INSERT INTO t SELECT ELT(1 + seq % 5, 'red', 'green', 'blue', 'orange', 'bogus'), seq, seq FROM seq_1_to_4000;
