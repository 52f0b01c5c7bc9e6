UPDATE {{t}} SET s = ELT(1 + @r % 5, '', 'w', 'x,y', 'z,w', 'w,x,y,z') WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'x,z');
