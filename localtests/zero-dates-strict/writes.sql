INSERT INTO {{t}} VALUES (100000 + @i, '2020-01-01', '2020-01-01 00:00:00.50', @i);
UPDATE {{t}} SET n = n + 1 WHERE id = 1 + @r % 1500;
