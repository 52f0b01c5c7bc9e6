INSERT INTO {{t}} (id, v) VALUES (100000 + @i, CONCAT('w', @r));
UPDATE {{t}} SET v = CONCAT('u', @r) WHERE id = 1 + @r % 1000;
