INSERT INTO {{t}} VALUES (100000 + @i, '𠜎x', '🐙y', 'ñ');
UPDATE {{t}} SET a = CONCAT('Ω', @r), b = CONCAT('🐧', @r) WHERE id = 1 + @r % 1000;
