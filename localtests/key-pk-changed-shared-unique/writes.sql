UPDATE {{t}} SET v = CONCAT('w', @r) WHERE id = 1 + @r % 3000;
UPDATE {{t}} SET id = 200000 + @i WHERE id = 1 + @r2 % 3000;
UPDATE {{t}} SET u = 20000 + @i WHERE u = (1 + @r % 3000) * 7 % 10007;
INSERT INTO {{t}} (id, u, code, v) VALUES (100000 + @i, 30000 + @i, CONCAT('n', @i), 'new');
DELETE FROM {{t}} WHERE id = 1 + (@r + @r2) % 3000;
