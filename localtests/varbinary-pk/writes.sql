UPDATE {{t}} SET id = CONCAT(id, 0x00) WHERE id = CONCAT(0x00, 1 + @r % 1200, 0x0000);
UPDATE {{t}} SET v = v + 1 WHERE id IN ('', 0x00, 0x0000);
INSERT INTO {{t}} VALUES (CONCAT(0x01, @i, 0x00), @i);
