UPDATE {{t}} SET a = a + 1, b = b - 1 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} (id, junk, a, b) VALUES (100000 + @i, 'x', @i, @r);
