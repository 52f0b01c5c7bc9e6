UPDATE {{t}} SET v = v + 1 WHERE id = 1 + @r % 4000;
UPDATE {{t}} SET b = CAST(@r2 AS UNSIGNED) * 18446744073 WHERE id = 1 + @r2 % 4000;
INSERT INTO {{t}} (b, id, v) VALUES (18446744073709551615 - @i, 100000 + @i, @i);
DELETE FROM {{t}} WHERE id = 1 + (@r + @r2) % 4000;
