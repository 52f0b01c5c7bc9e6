INSERT INTO {{t}} (id, name, note) VALUES (100000 + @i, CONCAT('grüße ', @i), CONCAT('façade ', @r));
UPDATE {{t}} SET name = CONCAT('Ærø ', @r) WHERE id = 1 + @r % 1500;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
