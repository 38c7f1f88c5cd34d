package rtcsim

import (
	"strings"
)

// SQL Server's rules for the columns the server writes itself — IDENTITY,
// rowversion (timestamp) and computed — checked on each INSERT and UPDATE
// before SQLite sees it, with SQL Server's error numbers and texts, so that a
// restore that a real server would refuse fails against rtcsim too (SPEC 6.1).
const (
	ErrIdentityInsertOff  = 544  // Cannot insert explicit value for identity column … IDENTITY_INSERT is set to OFF
	ErrIdentityValueNeed  = 545  // Explicit value must be specified for identity column … IDENTITY_INSERT is set to ON
	ErrComputedColumn     = 271  // The column … cannot be modified because it is either a computed column …
	ErrTimestampUpdate    = 272  // Cannot update a timestamp column
	ErrTimestampInsert    = 273  // Cannot insert an explicit value into a timestamp column
	ErrIdentityUpdate     = 8102 // Cannot update identity column
	ErrNoIdentityProperty = 8106 // Table … does not have the identity property
	ErrIdentityInsertBusy = 8107 // IDENTITY_INSERT is already ON for table …
	ErrObjectNotFound     = 1088 // Cannot find the object … because it does not exist
)

// checkWrite refuses an INSERT or UPDATE that names a column SQL Server
// writes itself; identityInsert is the table whose SET IDENTITY_INSERT is ON
// in the session ("" for none).
func (s *Schema) checkWrite(tr *Translation, identityInsert string) *Error {
	if tr.Kind != stmtInsert && tr.Kind != stmtUpdate {
		return nil
	}
	t := s.Table(tr.Target)
	if t == nil {
		return nil // SQLite reports the unknown table
	}
	if tr.Kind == stmtInsert && !tr.ColumnList {
		for _, c := range t.Columns {
			if !c.Writable() {
				return unsupported("INSERT without a column list into %s, which has IDENTITY, rowversion or computed columns: name the columns", t.Name)
			}
		}
		return nil
	}
	identityNamed := false
	for _, name := range tr.Columns {
		c := t.Column(name)
		if c == nil {
			continue // SQLite reports the unknown column
		}
		switch {
		case c.Computed != "":
			return newError(ErrComputedColumn, "The column \"%s\" cannot be modified because it is either a computed column or is the result of a UNION operator.", c.Name)
		case c.RowVersion() && tr.Kind == stmtInsert:
			return newError(ErrTimestampInsert, "Cannot insert an explicit value into a timestamp column. Use INSERT with a column list to exclude the timestamp column, or insert a DEFAULT into the timestamp column.")
		case c.RowVersion():
			return newError(ErrTimestampUpdate, "Cannot update a timestamp column.")
		case c.Identity && tr.Kind == stmtUpdate:
			return newError(ErrIdentityUpdate, "Cannot update identity column '%s'.", c.Name)
		case c.Identity && !strings.EqualFold(identityInsert, t.Name):
			return newError(ErrIdentityInsertOff, "Cannot insert explicit value for identity column in table '%s' when IDENTITY_INSERT is set to OFF.", t.Name)
		case c.Identity:
			identityNamed = true
		}
	}
	if tr.Kind == stmtInsert && strings.EqualFold(identityInsert, t.Name) && !identityNamed {
		return newError(ErrIdentityValueNeed, "Explicit value must be specified for identity column in table '%s' either when IDENTITY_INSERT is set to ON or when a replication user is inserting into a NOT FOR REPLICATION identity column.", t.Name)
	}
	return nil
}

// setIdentityInsert applies SET IDENTITY_INSERT to a session whose setting
// is current and returns the new one: at most one table per session.
func (s *Schema) setIdentityInsert(tr *Translation, current, db string) (string, *Error) {
	t := s.Table(tr.Target)
	if t == nil {
		return current, newError(ErrObjectNotFound, "Cannot find the object \"%s\" because it does not exist or you do not have permissions.", tr.Target)
	}
	hasIdentity := false
	for _, c := range t.Columns {
		hasIdentity = hasIdentity || c.Identity
	}
	if !hasIdentity {
		return current, newError(ErrNoIdentityProperty, "Table '%s' does not have the identity property. Cannot perform SET operation.", t.Name)
	}
	switch {
	case !tr.On && strings.EqualFold(current, t.Name):
		return "", nil
	case !tr.On:
		return current, nil
	case current != "" && !strings.EqualFold(current, t.Name):
		return current, newError(ErrIdentityInsertBusy, "IDENTITY_INSERT is already ON for table '%s.dbo.%s'. Cannot perform SET operation for table '%s'.", db, current, t.Name)
	}
	return t.Name, nil
}
