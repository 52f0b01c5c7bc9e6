INSERT INTO {{t}} VALUES (@i, CONCAT('v', @i));
UPDATE {{t}} SET v = CONCAT('u', @r) WHERE id = @i - 1;
DELETE FROM {{t}} WHERE id = @i - 3;
