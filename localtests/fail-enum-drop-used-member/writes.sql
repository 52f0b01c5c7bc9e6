UPDATE {{t}} SET e = 'c' WHERE id = 1 + @r % 1000;
