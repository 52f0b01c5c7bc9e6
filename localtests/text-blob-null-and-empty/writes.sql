UPDATE {{t}} SET tt = NULL, te = '  ', mt = '', tb = 0x0000, mb = '' WHERE id = 1 + @r % 1200;
UPDATE {{t}} SET tt = '', te = NULL, mt = NULL, tb = NULL, mb = NULL WHERE id = 1 + @r2 % 1200;
INSERT INTO {{t}} VALUES (100000 + @i, ' ', '', 'x ', '', 0x20);
