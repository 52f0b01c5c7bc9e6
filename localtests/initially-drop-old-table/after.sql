-- The old table is now the original: it has the original's columns.
SELECT id, v FROM _t_del LIMIT 1;
