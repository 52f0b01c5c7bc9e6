package alter

import (
	"fmt"
	"strings"
)

// MappingOptions changes how MapColumns treats renames.
type MappingOptions struct {
	// SkipRenamed is --skip-renamed-columns (gh-ost compatible): renamed
	// columns are not copied (the new column starts with its default), and
	// columns that vanished while others appeared are left unmapped instead
	// of refused.
	SkipRenamed bool
}

// ColumnMapping derives which original column feeds which ghost column,
// after the ALTER was applied to the ghost table and the server was asked
// for both column lists. It is MapColumns with default options.
func ColumnMapping(oldCols, newCols []string, a *Analysis) (map[string]string, error) {
	return MapColumns(oldCols, newCols, a, MappingOptions{})
}

// MapColumns returns old name -> new name, both spelled as the server
// reports them, for every original column whose values are copied:
//   - a renamed column maps to its new name (the rename must be approved by
//     the caller first, see CheckRenames);
//   - a column present in both lists (names compare case-insensitively)
//     maps to itself, unless the ALTER drops it (DROP a, ADD a: the old
//     values are not copied);
//   - a dropped column is left out.
//
// When columns vanished and others appeared that the analysis does not
// explain, a rename cannot be told apart from a drop plus an add, and it
// returns a *UserError (ErrColumnMapping) rather than guess. A nil a is
// treated as an ALTER nothing is known about.
func MapColumns(oldCols, newCols []string, a *Analysis, opt MappingOptions) (map[string]string, error) {
	if a == nil {
		a = &Analysis{}
	}
	lowerSet := func(names []string) map[string]bool {
		s := make(map[string]bool, len(names))
		for _, n := range names {
			s[strings.ToLower(n)] = true
		}
		return s
	}
	newByLower := make(map[string]string, len(newCols))
	for _, n := range newCols {
		newByLower[strings.ToLower(n)] = n
	}
	dropped, added := lowerSet(a.Dropped), lowerSet(a.Added)
	renameTargets := map[string]bool{}
	for _, n := range a.Renames {
		renameTargets[strings.ToLower(n)] = true
	}

	mapping := make(map[string]string, len(oldCols))
	source := map[string]string{} // lower new name -> old name feeding it
	assign := func(oldName, newName string) error {
		ln := strings.ToLower(newName)
		if prev, ok := source[ln]; ok {
			return userError(ErrColumnMapping, fmt.Sprintf("columns %s and %s would both be copied into ghost column %s", prev, oldName, newName),
				"check the renames and drops in --alter")
		}
		source[ln] = oldName
		mapping[oldName] = newName
		return nil
	}
	var vanished []string
	for _, o := range oldCols {
		lo := strings.ToLower(o)
		if target, ok := a.Renames[lo]; ok && !strings.EqualFold(target, o) {
			if opt.SkipRenamed {
				continue
			}
			n, ok := newByLower[strings.ToLower(target)]
			if !ok {
				return nil, userError(ErrColumnMapping, fmt.Sprintf("the ALTER renames column %s to %s but the ghost table has no column %s", o, target, target),
					"check the rename in --alter (ghost read it as written, executable comments included)")
			}
			if err := assign(o, n); err != nil {
				return nil, err
			}
			continue
		}
		if dropped[lo] {
			continue
		}
		if n, ok := newByLower[lo]; ok {
			if err := assign(o, n); err != nil {
				return nil, err
			}
			continue
		}
		vanished = append(vanished, o)
	}
	oldSet := lowerSet(oldCols)
	var appeared []string
	for _, n := range newCols {
		ln := strings.ToLower(n)
		if _, fed := source[ln]; fed || added[ln] || renameTargets[ln] || oldSet[ln] {
			continue
		}
		appeared = append(appeared, n)
	}
	if len(vanished) > 0 && len(appeared) > 0 && !opt.SkipRenamed {
		msg := fmt.Sprintf("column(s) %s vanished and %s appeared in the ghost table, which the ALTER does not explain: a rename cannot be told apart from a drop plus an add",
			strings.Join(vanished, ", "), strings.Join(appeared, ", "))
		if !a.Parsed {
			msg = "ghost's parser could not read the ALTER and " + msg
		}
		return nil, userError(ErrColumnMapping, msg,
			"write renames as CHANGE COLUMN old new <definition> or RENAME COLUMN old TO new (ghost finds these even in syntax its parser cannot read) and pass --approve-renamed-columns, or pass --skip-renamed-columns to copy only the columns whose names did not change (the values of "+
				strings.Join(vanished, ", ")+" are lost)")
	}
	return mapping, nil
}

// Inverse is what the ALTER does seen from the new table back to the old one, as a revert
// maps columns: its renames reversed, the columns it added dropped and those it dropped added.
// Only what MapColumns reads is carried.
func (a *Analysis) Inverse() *Analysis {
	inv := &Analysis{Parsed: a.Parsed, Renames: make(map[string]string, len(a.Renames))}
	for from, to := range a.Renames {
		inv.Renames[strings.ToLower(to)] = from
	}
	inv.Dropped = append([]string(nil), a.Added...)
	inv.Added = append([]string(nil), a.Dropped...)
	return inv
}
