UPDATE {{t}} SET status = ELT(1 + @r % 4, 'new', 'active', 'closed', 'déjà vu') WHERE id = 1 + @r % 1500;
INSERT INTO {{t}} VALUES (100000 + @i, 'déjà vu');
