UPDATE {{t}} SET last = CONCAT('Kim', @r % 10) WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'Zoë', 'Ünal');
