UPDATE {{t}} SET v = v + 1 WHERE id = UNHEX(RPAD(LPAD(HEX(1 + @r % 500), 4, '0'), 16, '0'));
DELETE FROM {{t}} WHERE id = UNHEX(LPAD(CONCAT(LPAD(HEX(1 + @r2 % 1000), 4, '0'), '0000'), 16, '0'));
INSERT INTO {{t}} VALUES (UNHEX(RPAD(CONCAT('AB', LPAD(HEX(@i), 4, '0')), 16, '0')), @i);
UPDATE {{t}} SET v = @i WHERE id = 0x0000000000000000;
