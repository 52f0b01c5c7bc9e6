UPDATE {{t}} SET b = REPEAT(CONCAT(0x00, @i), 1200000 + @i), tx = REPEAT('😀', 600000 + @i) WHERE id IN (1 + @r % 6, 1 + @r2 % 6) AND @i % 4 = 0 AND @i <= 32;
UPDATE {{t}} SET b = CONCAT(0xEE, @i), tx = CONCAT('small ', @i) WHERE id = 1 + @r % 6 AND @i % 4 = 2;
UPDATE {{t}} SET b = NULL, tx = '' WHERE id = 11 + @r % 200;
UPDATE {{t}} SET b = REPEAT(0xAB, @r % 1000) WHERE id = 11 + @r2 % 200;
