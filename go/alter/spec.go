package alter

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/format"
)

// restore renders a node for messages (never for execution: Clause keeps
// the user's text).
func restore(n interface {
	Restore(*format.RestoreCtx) error
}, flags format.RestoreFlags) string {
	var sb strings.Builder
	if err := n.Restore(format.NewRestoreCtx(flags, &sb)); err != nil {
		return fmt.Sprintf("%T", n)
	}
	return strings.TrimSpace(sb.String())
}

const lowerFlags = format.RestoreStringSingleQuotes | format.RestoreKeyWordLowercase | format.RestoreNameBackQuotes

// hints shared by several refusals.
const (
	hintDirect    = "run it directly on the table with ALTER TABLE: it does not need a row copy"
	hintSeparate  = "remove it from --alter and run it separately, before or after the migration"
	hintTiDBOnly  = "remove it: it is TiDB syntax that MySQL and MariaDB do not run"
	hintForeignFK = "ghost does not migrate tables with foreign keys; add the constraint with a direct ALTER TABLE (InnoDB adds it in place when foreign_key_checks=0)"
)

// analyzeSpecs fills the analysis from the parsed clauses.
func (a *Analysis) analyzeSpecs(specs []*ast.AlterTableSpec) {
	for _, spec := range specs {
		clause := restore(spec, format.DefaultRestoreFlags)
		switch spec.Tp {
		case ast.AlterTableAddColumns:
			for _, col := range spec.NewColumns {
				a.Added = append(a.Added, col.Name.Name.O)
				a.column(clause, "add", "", col)
			}
			for _, c := range spec.NewConstraints {
				a.constraint(clause, c)
			}
		case ast.AlterTableAddConstraint:
			a.constraint(clause, spec.Constraint)
		case ast.AlterTableDropColumn:
			name := spec.OldColumnName.Name.O
			a.Dropped = append(a.Dropped, name)
			a.risk(RiskWarning, clause, "drops column "+name+": its values are gone after the cut-over")
		case ast.AlterTableDropPrimaryKey:
			a.risk(RiskWarning, clause, "drops the primary key: ghost needs a unique key shared by the old and new table to copy by")
		case ast.AlterTableDropIndex:
			a.risk(RiskInfo, clause, "drops an index: if it is the only unique key shared by the old and new table, the engine refuses")
		case ast.AlterTableDropForeignKey:
			a.risk(RiskInfo, clause, "drops a foreign key: ghost does not migrate tables with foreign keys unless told to")
		case ast.AlterTableModifyColumn:
			col := spec.NewColumns[0]
			a.Modified = append(a.Modified, col.Name.Name.O)
			a.column(clause, "modify", col.Name.Name.O, col)
		case ast.AlterTableChangeColumn:
			oldName, col := spec.OldColumnName.Name.O, spec.NewColumns[0]
			a.Modified = append(a.Modified, oldName)
			a.addRename(clause, oldName, col.Name.Name.O)
			a.column(clause, "change", oldName, col)
		case ast.AlterTableRenameColumn:
			a.addRename(clause, spec.OldColumnName.Name.O, spec.NewColumnName.Name.O)
		case ast.AlterTableRenameTable:
			a.RenamesTable = true
			a.refuse(clause, "RENAME TO renames the table, and ghost migrates the table in place",
				"run RENAME TABLE separately after the migration")
		case ast.AlterTableOption:
			convert := false
			for _, opt := range spec.Options {
				convert = convert || opt.Tp == ast.TableOptionCharset && opt.UintValue == ast.TableOptionCharsetWithConvertTo
			}
			for _, opt := range spec.Options {
				if convert && opt.Tp == ast.TableOptionCollate {
					continue // part of CONVERT TO CHARACTER SET x COLLATE y
				}
				a.tableOption(restore(opt, format.DefaultRestoreFlags), opt)
			}
		case ast.AlterTablePartition, ast.AlterTableRemovePartitioning, ast.AlterTableAddPartitions,
			ast.AlterTableCoalescePartitions, ast.AlterTableReorganizePartition:
			a.risk(RiskInfo, clause, "changes partitioning: the ghost table is built with the new layout and rows are copied into it")
		case ast.AlterTableDropPartition, ast.AlterTableTruncatePartition:
			a.refuse(clause, "it deletes the rows of a partition, which a row copy into an empty ghost table cannot do", hintDirect)
		case ast.AlterTableExchangePartition, ast.AlterTableWithValidation, ast.AlterTableWithoutValidation:
			a.refuse(clause, "EXCHANGE PARTITION swaps data with another table, not a row change", hintDirect)
		case ast.AlterTableCheckPartitions, ast.AlterTableOptimizePartition, ast.AlterTableRepairPartition,
			ast.AlterTableRebuildPartition:
			a.refuse(clause, "partition maintenance does nothing on the empty ghost table", hintDirect)
		case ast.AlterTableDiscardTablespace, ast.AlterTableImportTablespace,
			ast.AlterTableDiscardPartitionTablespace, ast.AlterTableImportPartitionTablespace:
			a.refuse(clause, "DISCARD/IMPORT TABLESPACE moves tablespace files, not rows", hintDirect)
		case ast.AlterTableOrderByColumns:
			a.refuse(clause, "ORDER BY only orders the rows present during the ALTER, and the ghost table is empty then (InnoDB orders by the primary key anyway)",
				hintSeparate)
		case ast.AlterTableEnableKeys, ast.AlterTableDisableKeys:
			a.refuse(clause, "ENABLE/DISABLE KEYS would leave the ghost table's indexes in that state after the cut-over", hintSeparate)
		case ast.AlterTableAlterColumn, ast.AlterTableRenameIndex, ast.AlterTableIndexInvisible,
			ast.AlterTableAlterCheck, ast.AlterTableDropCheck, ast.AlterTableLock, ast.AlterTableAlgorithm,
			ast.AlterTableForce:
			// Definition-only changes, applied to the ghost table as written.
			// LOCK= and ALGORITHM= only concern the ALTER of the empty ghost
			// table; the copy is online whatever they say.
		default:
			// TiDB-only clauses: TiFlash replicas, placement and partition
			// attributes, statistics, caching, TTL, masking policies,
			// SPLIT INDEX, READ ONLY, FIRST/LAST PARTITION, SECONDARY_LOAD.
			a.refuse(clause, "this clause is not a MySQL/MariaDB table change ghost can copy rows for", hintTiDBOnly)
		}
	}
}

// column records one ADD/MODIFY/CHANGE column definition and its risks.
func (a *Analysis) column(clause, op, oldName string, col *ast.ColumnDef) {
	cc := ColumnChange{Op: op, Old: oldName, Name: col.Name.Name.O}
	if col.Tp != nil {
		cc.Type = restore(col.Tp, lowerFlags)
	}
	foreign := false
	for _, o := range col.Options {
		switch o.Tp {
		case ast.ColumnOptionNotNull:
			cc.NotNull = true
		case ast.ColumnOptionNull:
			cc.NotNull = false
		case ast.ColumnOptionDefaultValue:
			cc.HasDefault = true
		case ast.ColumnOptionAutoIncrement:
			cc.AutoIncrement = true
		case ast.ColumnOptionGenerated:
			cc.Generated = true
		case ast.ColumnOptionPrimaryKey:
			cc.PrimaryKey, cc.NotNull = true, true
		case ast.ColumnOptionUniqKey:
			cc.Unique = true
		case ast.ColumnOptionReference:
			foreign = true
		}
	}
	a.Columns = append(a.Columns, cc)

	noDefault := cc.NotNull && !cc.HasDefault && !cc.AutoIncrement && !cc.Generated
	switch op {
	case "add":
		if noDefault {
			a.risk(RiskDanger, clause, fmt.Sprintf("adds NOT NULL column %s without DEFAULT: the row copy does not write it, so it fails in strict mode (or gets 0/'' otherwise); give the column a DEFAULT", cc.Name))
		}
	default:
		msg := fmt.Sprintf("redefines column %s as %s", cc.Old, cc.Type)
		if cc.NotNull {
			msg += " NOT NULL"
		}
		msg += ": values that do not fit fail the copy or are converted (narrowing truncates, NULLs into NOT NULL fail), and the engine refuses a type change of a column in the shared unique key"
		a.risk(RiskWarning, clause, msg)
	}
	if cc.PrimaryKey || cc.Unique {
		a.risk(RiskWarning, clause, fmt.Sprintf("makes column %s unique: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates", cc.Name))
	}
	if foreign {
		a.refuse(clause, "REFERENCES adds a foreign key", hintForeignFK)
	}
}

// constraint records an added key or constraint.
func (a *Analysis) constraint(clause string, c *ast.Constraint) {
	switch c.Tp {
	case ast.ConstraintPrimaryKey:
		a.risk(RiskWarning, clause, "adds a primary key: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates or NULLs in its columns")
	case ast.ConstraintUniq, ast.ConstraintUniqKey, ast.ConstraintUniqIndex:
		a.risk(RiskWarning, clause, "adds a unique key: the copy fails, or drops rows if it copies with INSERT IGNORE, when existing rows hold duplicates")
	case ast.ConstraintForeignKey:
		a.refuse(clause, "ADD FOREIGN KEY adds a foreign key", hintForeignFK)
	case ast.ConstraintCheck:
		a.risk(RiskWarning, clause, "adds a CHECK constraint: rows that violate it fail the copy")
	}
}

// tableOption classifies one table option.
func (a *Analysis) tableOption(clause string, opt *ast.TableOption) {
	switch opt.Tp {
	case ast.TableOptionEngine:
		a.risk(RiskInfo, clause, "sets the storage engine: the ghost table is built with engine "+opt.StrValue)
	case ast.TableOptionCharset:
		if opt.UintValue == ast.TableOptionCharsetWithConvertTo {
			a.risk(RiskWarning, clause, "CONVERT TO CHARACTER SET re-encodes every text column: characters the new character set lacks fail the copy or become '?', indexes may exceed key length limits, and text keys compare differently (the engine refuses that on the shared key)")
			return
		}
		a.risk(RiskInfo, clause, "changes the table's default character set only: existing columns keep theirs")
	case ast.TableOptionCollate:
		a.risk(RiskInfo, clause, "changes the table's default collation only: existing columns keep theirs")
	case ast.TableOptionAutoIncrement:
		a.SetsAutoIncrement = true
		a.risk(RiskInfo, clause, "sets AUTO_INCREMENT: the ghost table keeps this value instead of the original's counter")
	}
}
