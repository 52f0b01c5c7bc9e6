CREATE TABLE a_rather_long_table_name_that_still_leaves_room_for_gho0 (
  id INT NOT NULL,
  v INT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;
INSERT INTO a_rather_long_table_name_that_still_leaves_room_for_gho0 SELECT seq, seq FROM seq_1_to_1000;
