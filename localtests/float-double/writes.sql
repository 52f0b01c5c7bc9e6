UPDATE {{t}} SET f = @r / 13, d = @r / 17, fu = @r2 / 19 WHERE id = 11 + @r % 1000;
INSERT INTO {{t}} VALUES (100000 + @i, 1 / 3, 2 / 3, 123456.789, @r / 1000);
UPDATE {{t}} SET f = -f, d = -d WHERE id = 1 + @r2 % 6;
