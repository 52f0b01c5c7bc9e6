UPDATE {{t}} SET a = a + 1 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} (id, a, b) VALUES (100000 + @i, @r % 1000, 'new');
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
