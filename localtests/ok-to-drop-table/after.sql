-- Fails if the old table is still there.
CREATE TABLE _t_del (x INT);
DROP TABLE _t_del;
