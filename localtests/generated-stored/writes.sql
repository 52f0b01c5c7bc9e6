UPDATE {{t}} SET qty = qty + 1, note = CONCAT('n', @r) WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} (id, price, qty, note) VALUES (100000 + @i, 9.99, @i, NULL);
