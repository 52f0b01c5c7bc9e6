UPDATE {{t}} SET b1 = b1 ^ 1, b7 = @r % 128, b64 = @r * @r2 WHERE id = 11 + @r % 1000;
INSERT INTO {{t}} VALUES (100000 + @i, 1, 127, 18446744073709551615);
