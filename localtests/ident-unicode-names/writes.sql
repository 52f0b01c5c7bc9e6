UPDATE {{t}} SET `名前` = CONCAT('更', @r), `ümlaut` = @i WHERE `ключ` = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'новый', NULL);
