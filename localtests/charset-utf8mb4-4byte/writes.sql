INSERT INTO {{t}} (id, tag, msg) VALUES (100000 + @i, CONCAT('🦄', @i), CONCAT('🌍 ', @r));
UPDATE {{t}} SET msg = CONCAT('✨🐙 ', @r) WHERE id = 1 + @r % 1500;
UPDATE {{t}} SET tag = CONCAT('🔑', id, '-', @i) WHERE id = 1 + @r2 % 1500;
