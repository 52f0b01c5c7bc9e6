UPDATE {{t}} SET `key` = `key` + 1, `index` = CONCAT('i', @r) WHERE `select` = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'new', NULL, NULL, NULL);
DELETE FROM {{t}} WHERE `select` = 1 + @r2 % 1500;
