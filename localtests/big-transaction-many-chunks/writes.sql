UPDATE {{t}} SET n = n + 1, note = CONCAT('pass ', @i);
INSERT INTO {{t}} VALUES (100000 + @i, @i, 'inserted');
DELETE FROM {{t}} WHERE id = 1 + @r % 4000;
