UPDATE {{t}} SET s = @r % 16 WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'a,d');
UPDATE {{t}} SET s = '' WHERE id = 1 + @r2 % 1500;
