UPDATE {{t}} SET a = -128, b = 65535, c = @r % 100000000 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 127, 0, 1);
