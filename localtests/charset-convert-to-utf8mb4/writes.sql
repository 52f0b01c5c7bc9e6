INSERT INTO {{t}} (id, name, note, code) VALUES (100000 + @i, CONCAT('Çé ', @i), CONCAT('äöü ', @r), 'xyz');
UPDATE {{t}} SET note = CONCAT('màj ', @r) WHERE id = 1 + @r % 1500;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1500;
