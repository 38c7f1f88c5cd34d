package rtcsim

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"modernc.org/sqlite"
)

// Error is a SQL Server error as the client sees it in an ERROR token
// (go-mssqldb turns it into mssql.Error with the same fields).
type Error struct {
	Number  int32
	State   uint8
	Class   uint8
	Message string
	Proc    string // procedure name, for errors raised inside one
	Line    int32
}

func (e *Error) Error() string { return fmt.Sprintf("mssql error %d: %s", e.Number, e.Message) }

// Errors SQL Server raises that rtcsim reproduces.
const (
	ErrSyntax          = 102  // Incorrect syntax near …
	ErrUnsupported     = 156  // rtcsim: unsupported T-SQL (a "syntax" error, so that a refused statement fails like a bad one)
	ErrInvalidColumn   = 207  // Invalid column name
	ErrInvalidObject   = 208  // Invalid object name
	ErrNotNull         = 515  // Cannot insert the value NULL
	ErrConversion      = 245  // Conversion failed
	ErrCheck           = 547  // The INSERT statement conflicted with the CHECK constraint
	ErrProcNotFound    = 2812 // Could not find stored procedure
	ErrDuplicateKey    = 2627 // Violation of PRIMARY KEY / UNIQUE KEY constraint
	ErrNoTranForCommit = 3902 // The COMMIT TRANSACTION request has no corresponding BEGIN TRANSACTION
	ErrNoTranForRollbk = 3903 // The ROLLBACK TRANSACTION request has no corresponding BEGIN TRANSACTION
	ErrCannotOpenDB    = 4060 // Cannot open database requested by the login
	ErrTooManyParams   = 8003 // The incoming request has too many parameters
	ErrParamNotDecl    = 8145 // @x is not a parameter for procedure
	ErrParamMissing    = 201  // Procedure expects parameter which was not supplied
	ErrTruncation      = 8152 // String or binary data would be truncated
	ErrDeadlock        = 1205 // chosen as the deadlock victim
	ErrLoginFailed     = 18456
	ErrUntrustedDomain = 18452
	ErrUserDefined     = 50000
)

func newError(number int32, format string, args ...any) *Error {
	return &Error{Number: number, State: 1, Class: 16, Message: fmt.Sprintf(format, args...)}
}

func unsupported(format string, args ...any) *Error {
	return newError(ErrUnsupported, "rtcsim: unsupported T-SQL: "+format, args...)
}

func deadlockError(spid uint16) *Error {
	return &Error{Number: ErrDeadlock, State: 45, Class: 13, Message: fmt.Sprintf(
		"Transaction (Process ID %d) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.", spid)}
}

var (
	reNoTable    = regexp.MustCompile(`no such table: (\S+)`)
	reNoColumn   = regexp.MustCompile(`no such column: (\S+)`)
	reUnique     = regexp.MustCompile(`UNIQUE constraint failed: (\w+)\.`)
	reNotNull    = regexp.MustCompile(`NOT NULL constraint failed: (\w+)\.(\w+)`)
	reCheck      = regexp.MustCompile(`CHECK constraint failed: (\w+)`)
	reSyntaxNear = regexp.MustCompile(`near ([^:]*): syntax error`)
)

// sqliteCode returns the primary SQLite result code of err, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isBusy reports a lock that busy_timeout did not resolve (SQLITE_BUSY/LOCKED).
func isBusy(err error) bool {
	c := sqliteCode(err)
	return c == 5 || c == 6
}

// mapError turns a SQLite error into the SQL Server error a client of the
// real rtc database would have seen; cat names the constraints.
func (s *Server) mapError(err error, spid uint16, verb string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if isBusy(err) {
		return deadlockError(spid)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || sqliteCode(err) == 9 {
		return newError(3617, "The query was cancelled.") // never reaches a client that sent attention
	}
	msg := err.Error()
	msg = strings.ReplaceAll(msg, `"`, "")
	if m := reNoTable.FindStringSubmatch(msg); m != nil {
		return newError(ErrInvalidObject, "Invalid object name '%s'.", m[1])
	}
	if m := reNoColumn.FindStringSubmatch(msg); m != nil {
		name := m[1]
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		return newError(ErrInvalidColumn, "Invalid column name '%s'.", name)
	}
	if m := reUnique.FindStringSubmatch(msg); m != nil {
		kind, cname := "PRIMARY KEY", "PK_"+m[1]
		if t := s.schema.Table(m[1]); t != nil && !strings.Contains(msg, strings.Join(qualified(t.Name, t.PrimaryKey), ", ")) {
			kind, cname = "UNIQUE KEY", "UQ_"+m[1]
		}
		e := newError(ErrDuplicateKey, "Violation of %s constraint '%s'. Cannot insert duplicate key in object 'dbo.%s'.", kind, cname, m[1])
		e.State, e.Class = 1, 14
		return e
	}
	if m := reNotNull.FindStringSubmatch(msg); m != nil {
		return newError(ErrNotNull, "Cannot insert the value NULL into column '%s', table '%s.dbo.%s'; column does not allow nulls. %s fails.",
			m[2], s.database, m[1], strings.ToUpper(verb))
	}
	if m := reCheck.FindStringSubmatch(msg); m != nil {
		return s.checkError(m[1], verb)
	}
	if m := reSyntaxNear.FindStringSubmatch(msg); m != nil {
		return newError(ErrSyntax, "Incorrect syntax near '%s'.", m[1])
	}
	return newError(ErrUserDefined, "rtcsim: sqlite: %s", msg)
}

// checkError maps the CHECK constraints that the DDL generator names
// ck_len__<table>__<column> and ck_type__<table>__<column>.
func (s *Server) checkError(name, verb string) *Error {
	parts := strings.Split(name, "__")
	if len(parts) == 3 {
		switch parts[0] {
		case "ck_len":
			return newError(ErrTruncation, "String or binary data would be truncated in table '%s.dbo.%s', column '%s'.", s.database, parts[1], parts[2])
		case "ck_type":
			typ := "the column's type"
			if t := s.schema.Table(parts[1]); t != nil {
				if c := t.Column(parts[2]); c != nil {
					typ = c.Type.String()
				}
			}
			return newError(ErrConversion, "Conversion failed when converting a value to data type %s (column '%s' of table '%s').", typ, parts[2], parts[1])
		}
	}
	return newError(ErrCheck, "The %s statement conflicted with the CHECK constraint \"%s\".", strings.ToUpper(verb), name)
}

func qualified(table string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = table + "." + c
	}
	return out
}
