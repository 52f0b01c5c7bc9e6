UPDATE {{t}} SET e = 'nonsense' WHERE id = 1 + @r % 1200;
INSERT INTO {{t}} VALUES (100000 + @i, 'bad');
