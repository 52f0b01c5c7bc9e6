SET @a = 1 + @r % 3000, @b = 1 + @r2 % 3000;
SET @ca = (SELECT code FROM {{t}} WHERE id = @a), @cb = (SELECT code FROM {{t}} WHERE id = @b);
UPDATE {{t}} SET code = -1 WHERE id = @a AND @a <> @b;
UPDATE {{t}} SET code = @ca WHERE id = @b AND @a <> @b;
UPDATE {{t}} SET code = @cb WHERE id = @a AND @a <> @b;
