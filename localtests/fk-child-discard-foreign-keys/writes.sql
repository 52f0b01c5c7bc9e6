UPDATE {{t}} SET a = (a + 1) % 10 WHERE id = 1 + @r % 1000;
INSERT INTO {{t}} VALUES (100000 + @i, @i % 10, 'new');
