UPDATE {{t}} SET v = v + 1 WHERE id = 1 + @r % 2000;
INSERT INTO {{t}} VALUES (100000 + @i, @i);
DELETE FROM {{t}} WHERE id = 1 + @r2 % 2000;
