UPDATE {{t}} SET v = v + 1 WHERE code = LPAD(HEX((1 + @r % 1500) * 40503), 8, '0');
INSERT INTO {{t}} VALUES (CONCAT('N', LPAD(@i, 7, '0')), @i);
DELETE FROM {{t}} WHERE code = LPAD(HEX((1 + @r2 % 1500) * 40503), 8, '0');
