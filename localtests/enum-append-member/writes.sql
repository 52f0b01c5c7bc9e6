UPDATE {{t}} SET e = ELT(1 + @r % 3, 'red', 'green', 'blue'), e2 = 'x' WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'blue', 'y');
UPDATE {{t}} SET e = NULL WHERE id = 1 + @r2 % 1500;
