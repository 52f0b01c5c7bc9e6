INSERT INTO {{t}} VALUES (100000 + @i, 'æøå', 'ḃ', '🐍', '汉字', 'plain', 0x00FF00);
UPDATE {{t}} SET l1 = CONCAT('é', @r), u4 = CONCAT('🎈', @r), gb = CONCAT('字', @r) WHERE id = 1 + @r % 1000;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1000;
