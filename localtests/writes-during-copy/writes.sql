UPDATE {{t}} SET v = v + 1, s = CONCAT('u', @i) WHERE id = 1 + @r % 5000;
INSERT INTO {{t}} VALUES (10000 + @i * 7 % 5000 * 2 + @i, @i, 'ins');
DELETE FROM {{t}} WHERE id = 1 + @r2 % 5000;
UPDATE {{t}} SET id = id + 100000 WHERE id = 1 + (@r + 7) % 5000;
