UPDATE {{t}} SET a = a + 1 WHERE id = 1 + @r % 1000;
