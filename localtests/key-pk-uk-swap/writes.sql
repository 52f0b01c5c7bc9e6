UPDATE {{t}} SET v = v + 1 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, CONCAT('N', @i), @i);
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
