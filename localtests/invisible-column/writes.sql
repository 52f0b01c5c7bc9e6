UPDATE {{t}} SET secret = CONCAT('u', @r), hidden_n = @i WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} (id, v, secret, hidden_n) VALUES (100000 + @i, @i, 'new', -1);
