UPDATE {{t}} SET id = id + 1000000 WHERE id = 1 + @r % 2000;
UPDATE {{t}} SET id = id - 1000000 + 5000 WHERE id BETWEEN 1000000 AND 1002000 AND id % 3 = @i % 3;
UPDATE {{t}} SET id = -id WHERE id = 1 + @r2 % 2000;
