INSERT INTO {{t}} VALUES (IF(@i >= 15, NULL, 100000 + @i), @i);
