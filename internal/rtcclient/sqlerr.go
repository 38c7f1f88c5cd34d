package rtcclient

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	mssql "github.com/microsoft/go-mssqldb"
)

// The driver's error and return-status types stay in this package: the jobs
// ask these questions instead.

// ErrorNumber returns the SQL Server error number of err, if the server
// answered with one.
func ErrorNumber(err error) (int32, bool) {
	var e interface{ SQLErrorNumber() int32 }
	if errors.As(err, &e) {
		return e.SQLErrorNumber(), true
	}
	return 0, false
}

// IsDeadlock reports SQL Server error 1205: the transaction was chosen as a
// deadlock victim and rolled back; trying again may succeed.
func IsDeadlock(err error) bool {
	n, ok := ErrorNumber(err)
	return ok && n == 1205
}

// ServerAnswered reports whether err is an error the server sent (a SQL
// error): the connection is alive and the server decided. Any other error
// (a broken connection, a timeout) leaves open what the server did.
func ServerAnswered(err error) bool {
	_, ok := ErrorNumber(err)
	return ok
}

// Execer runs a statement: *sql.DB, *sql.Tx and *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ProcedureError is a stored procedure that ran but returned a non-zero
// status: the rtc procedures' way of refusing.
type ProcedureError struct {
	Name   string
	Status int32
}

func (e *ProcedureError) Error() string {
	return fmt.Sprintf("%s returned status %d", e.Name, e.Status)
}

// CallProcedure runs a stored procedure by name over RPC with positional
// arguments (TDS passes unnamed RPC parameters by position, which SQL Server
// accepts; database/sql refuses parameter names that start with "@_", as the
// rtc ones do). A non-zero return status is a *ProcedureError.
func CallProcedure(ctx context.Context, x Execer, name string, args ...any) (sql.Result, error) {
	var status mssql.ReturnStatus
	res, err := x.ExecContext(ctx, name, append(args, &status)...)
	if err != nil {
		return nil, err
	}
	if status != 0 {
		return res, &ProcedureError{Name: name, Status: int32(status)}
	}
	return res, nil
}

// UniqueIdentifier is the usual text form of a uniqueidentifier value as the
// driver scans it (SQL Server's mixed-endian byte order), if b is one.
func UniqueIdentifier(b []byte) (string, bool) {
	var u mssql.UniqueIdentifier
	if u.Scan(b) != nil {
		return "", false
	}
	return u.String(), true
}
