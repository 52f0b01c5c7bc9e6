UPDATE {{t}} SET ip = CONCAT('::ffff:10.0.', @r % 256, '.0') WHERE id = 11 + @r % 1200;
INSERT INTO {{t}} VALUES (100000 + @i, '::');
UPDATE {{t}} SET ip = CONCAT('2001:db8::', HEX(@r % 65536)) WHERE id = 1 + @r2 % 6;
