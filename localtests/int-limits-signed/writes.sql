UPDATE {{t}} SET ti = IF(ti = 127, -128, 127), si = -si - 1, mi = -mi - 1, i = -i - 1, bi = IF(bi < 0, -(bi + 1), -bi - 1) WHERE id = 1 + @r % 5;
UPDATE {{t}} SET ti = -128, bi = -9223372036854775808 WHERE id = 11 + @r2 % 1000;
INSERT INTO {{t}} VALUES (100000 + @i, 127, -32768, 8388607, -2147483648, 9223372036854775807);
