CREATE TABLE _t_gho (x INT);
CREATE TABLE _t_ghc (x INT);
