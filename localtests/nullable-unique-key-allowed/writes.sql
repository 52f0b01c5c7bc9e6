UPDATE {{t}} SET a = a + 1 WHERE u = 1 + @r % 3000;
INSERT INTO {{t}} VALUES (100000 + @i, 'x', @i);
DELETE FROM {{t}} WHERE u = 1 + (@r * 7) % 3000;
