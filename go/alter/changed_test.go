package alter

import "testing"

func TestChangedTables(t *testing.T) {
	cases := []struct {
		q       string
		changes bool // whether d.t is among the changed tables (default schema d)
	}{
		{"ALTER TABLE t ADD COLUMN c INT", true},
		{"ALTER TABLE `d`.`t` ADD COLUMN c INT", true},
		{"ALTER TABLE other.t ADD COLUMN c INT", false},
		{"ALTER TABLE other ALTER COLUMN t SET DEFAULT 1", false},
		{"ALTER TABLE `_t_gho` ADD COLUMN t INT", false},
		{"CREATE TABLE `d`.`_t_gho` LIKE `d`.`t`", false},
		{"CREATE TABLE t (id INT)", true},
		{"RENAME TABLE `d`.`t` TO `d`.`_t_del`, `d`.`_t_gho` TO `d`.`t`", true},
		{"RENAME TABLE a TO b", false},
		{"DROP TABLE IF EXISTS `_t_del`", false},
		{"DROP TABLE x, t", true},
		{"TRUNCATE TABLE t", true},
		{"TRUNCATE t", true},
		{"CREATE INDEX i ON t (c)", true},
		{"DROP INDEX i ON t", true},
		{"INSERT INTO t VALUES (1)", true},
		{"INSERT INTO other SELECT * FROM x", false},
		{"UPDATE t SET c = 1", true},
		{"DELETE FROM d.t WHERE id = 1", true},
		{"CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.c = 1", true},
		{"CREATE TRIGGER trg BEFORE INSERT ON other FOR EACH ROW SET NEW.t = 1", false},
		{"ALTER TABLE t ADD COLUMN u UUID", true},
		{"ALTER TABLE other ADD COLUMN t INET6", false},
		{"GRANT SELECT ON d.t TO x", false},
		{"CREATE DATABASE t", false},
	}
	if got := ChangedTables("ALTER TABLE `d`.`t` RENAME TO `d`.`_t_del`", "x"); len(got) != 2 || !got[1].Is("d", "_t_del") {
		t.Errorf("ALTER ... RENAME TO: got %v", got)
	}
	for _, c := range cases {
		got := false
		for _, r := range ChangedTables(c.q, "d") {
			if r.Is("d", "t") {
				got = true
			}
		}
		if got != c.changes {
			t.Errorf("ChangedTables(%q) changes d.t = %v, want %v (%v)", c.q, got, c.changes, ChangedTables(c.q, "d"))
		}
	}
}
