UPDATE {{t}} SET doc = JSON_SET(doc, '$.n', @r, '$.added', JSON_ARRAY(@i)) WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, JSON_OBJECT('i', @i, 'k', 'välue'));
UPDATE {{t}} SET doc = NULL WHERE id = 1 + @r2 % 1500;
