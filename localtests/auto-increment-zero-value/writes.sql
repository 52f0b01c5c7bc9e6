UPDATE {{t}} SET v = v + 1 WHERE id IN (0, -5, 1 + @r % 1000);
