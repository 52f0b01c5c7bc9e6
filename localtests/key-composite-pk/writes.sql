UPDATE {{t}} SET v = v + 1 WHERE a = @r % 10 AND b = CONCAT('k', @r % 7) LIMIT 3;
INSERT INTO {{t}} VALUES (@i % 10, 'zz', '2030-01-01' + INTERVAL @i DAY, @i);
DELETE FROM {{t}} WHERE a = @r2 % 10 AND b = CONCAT('k', @r2 % 7) AND c < '2020-06-01' LIMIT 1;
