UPDATE {{t}} SET k = UPPER(k) WHERE k = CONCAT('key-', 1 + @r % 1500, IF((1 + @r % 1500) % 3 = 0, 'ß', 'é'));
UPDATE {{t}} SET k = LOWER(k), v = v + 1 WHERE k = CONCAT('KEY-', 1 + @r2 % 1500, IF((1 + @r2 % 1500) % 3 = 0, 'ß', 'é'));
INSERT INTO {{t}} VALUES (CONCAT('New-', @i), @i);
DELETE FROM {{t}} WHERE k = CONCAT('new-', @i - 3);
