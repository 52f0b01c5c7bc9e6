UPDATE {{t}} SET v = CONCAT('w', @r) WHERE id = 1 + @r % 1000;
