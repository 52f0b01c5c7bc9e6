UPDATE {{t}} SET e = ELT(1 + @r % 4, 'a', 'b', 'c', 'd') WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, ELT(1 + @i % 4, 'a', 'b', 'c', 'd'));
