INSERT INTO {{t}} (id, name, descr) VALUES (100000 + @i, CONCAT('新', @i), CONCAT(CONVERT(0x955C USING gbk), ' 誓食十狮 ', @r));
UPDATE {{t}} SET name = CONCAT('更新', @r) WHERE id = 1 + @r % 1200;
DELETE FROM {{t}} WHERE id = 1 + @r2 % 1200;
