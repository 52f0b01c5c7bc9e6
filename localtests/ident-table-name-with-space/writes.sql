UPDATE {{t}} SET v = v + 1 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, @i);
