UPDATE {{t}} SET v = v + 1 WHERE e = ELT(1 + @r % 4, 'red', 'green', 'blue', 'orange') AND id = 1 + @r2 % 4000;
UPDATE {{t}} SET e = ELT(1 + @r2 % 4, 'red', 'green', 'blue', 'orange') WHERE id = 1 + @r % 4000;
INSERT INTO {{t}} (e, id, v) VALUES (ELT(1 + @i % 5, 'red', 'green', 'blue', 'orange', 'nonsense'), 100000 + @i, @i);
DELETE FROM {{t}} WHERE id = 1 + (@r + @r2) % 4000;
