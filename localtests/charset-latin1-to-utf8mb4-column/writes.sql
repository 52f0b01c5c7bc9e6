UPDATE {{t}} SET s = CONCAT(CHAR(160 + @r % 96 USING latin1), @r) WHERE id = 1 + @r % 1200;
INSERT INTO {{t}} VALUES (100000 + @i, CHAR(128 + @i % 128 USING latin1));
