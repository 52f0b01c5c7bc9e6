UPDATE {{t}} SET name = IF(@r % 2, UPPER(name), LOWER(name)) WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, CONCAT('MiXeD', @i, '  '));
