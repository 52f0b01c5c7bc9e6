UPDATE {{t}} SET k = IF(k LIKE '% ', TRIM(TRAILING ' ' FROM k), CONCAT(k, '   ')), v = v + 1 WHERE k = CONCAT('k', 1 + @r % 1000);
UPDATE {{t}} SET np = CONCAT(np, ' '), v = v - 1 WHERE np = CONCAT('n', 1 + @r2 % 500);
INSERT INTO {{t}} VALUES (CONCAT('new', @i, ' '), CONCAT('new', @i, ' '), @i);
