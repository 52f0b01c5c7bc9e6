INSERT INTO {{t}} (id, a, b, c, d) VALUES (100000 + @i, @r % 100, CONCAT('new ', @i), '2024-01-01', 1.25);
UPDATE {{t}} SET a = a + 1, d = d + 0.01 WHERE id = 1 + @r % 2000;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 2000;
