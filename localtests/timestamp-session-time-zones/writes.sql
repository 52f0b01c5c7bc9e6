SET time_zone = '+13:00';
INSERT INTO {{t}} VALUES (100000 + @i, '2022-01-01 00:00:00.25' + INTERVAL @i HOUR, '2022-01-01 00:00:00.25');
SET time_zone = '-11:00';
UPDATE {{t}} SET ts = '2030-06-15 12:00:00.000001' WHERE id = 1 + @r % 1500;
