-- A new row must get an id above every id ever handed out by the original.
INSERT INTO t (v) VALUES (-1);
INSERT INTO t_twin (v) VALUES (-1);
