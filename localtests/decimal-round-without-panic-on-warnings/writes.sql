UPDATE {{t}} SET n = n + 1 WHERE id = 1 + @r % 2000;
