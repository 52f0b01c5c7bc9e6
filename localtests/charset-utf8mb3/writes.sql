INSERT INTO {{t}} (id, name, body) VALUES (100000 + @i, CONCAT('新しい ', @i), CONCAT('ḁḂḃ ', @r));
UPDATE {{t}} SET body = CONCAT('更新 ', @r, ' ✓') WHERE id = 1 + @r % 1500;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
