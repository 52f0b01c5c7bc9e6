UPDATE {{t}} SET w = CONCAT('x', @r) WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} (id, v, w) VALUES (100000 + @i, @i, 'new');
