UPDATE {{t}} SET a = a + 1 WHERE u = 1 + @r % 1000;
