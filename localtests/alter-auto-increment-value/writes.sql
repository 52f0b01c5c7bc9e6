UPDATE {{t}} SET a = a + 1, d = d + 0.01 WHERE id = 1 + @r % 2000;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 2000;
