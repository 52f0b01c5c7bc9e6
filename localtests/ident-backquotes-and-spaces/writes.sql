UPDATE {{t}} SET `we``ird` = CONCAT('x', @r), `it's` = @i WHERE `my id` = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'new`one', 1, 2, 3);
DELETE FROM {{t}} WHERE `my id` = 1 + @r2 % 1500;
