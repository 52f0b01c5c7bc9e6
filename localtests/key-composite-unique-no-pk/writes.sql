UPDATE {{t}} SET v = v + 1, maybe = NULL WHERE a = @r % 30 AND b = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100, @i, NULL, @i);
DELETE FROM {{t}} WHERE a = @r2 % 30 AND b = 1 + @r2 % 1500;
