UPDATE {{t}} SET v = v + 1 WHERE id = 1 + @r % 1500;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
