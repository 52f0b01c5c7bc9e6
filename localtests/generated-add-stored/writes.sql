UPDATE {{t}} SET w = w + 1 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, @i, 2);
