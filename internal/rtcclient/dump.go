package rtcclient

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"

	"github.com/lyncmigrate/lyncmigrate/internal/setting"
)

// SchemaDump is what --dump-schema writes for one server (SPEC 7.1): the
// database's tables, columns with types and lengths, routines, routine
// parameters, and the text of the plan's procedures where the login may read
// it. Catalog data only: no row of any table is read.
type SchemaDump struct {
	Server      string          `json:"server"`
	Database    string          `json:"database"`
	Version     string          `json:"version,omitempty"` // as detected; empty when detection failed
	CheckErrors []string        `json:"check_problems,omitempty"`
	Tables      []DumpTable     `json:"tables"`
	Routines    []DumpRoutine   `json:"routines"`
	Definitions []DumpProcedure `json:"procedure_definitions"`
}

// DumpTable is a row of INFORMATION_SCHEMA.TABLES with its columns.
type DumpTable struct {
	Schema  string       `json:"schema"`
	Name    string       `json:"name"`
	Type    string       `json:"type"` // BASE TABLE or VIEW
	Columns []DumpColumn `json:"columns"`
}

// DumpColumn is a row of INFORMATION_SCHEMA.COLUMNS.
type DumpColumn struct {
	Position  int    `json:"position"`
	Name      string `json:"name"`
	DataType  string `json:"data_type"`            // an alias type's base type
	MaxLength *int64 `json:"max_length,omitempty"` // characters (bytes for binary types); -1 for max
	Nullable  bool   `json:"nullable"`
	Domain    string `json:"alias_type,omitempty"` // DOMAIN_NAME: the alias type, e.g. ResourceId
}

// DumpRoutine is a row of INFORMATION_SCHEMA.ROUTINES with its parameters.
type DumpRoutine struct {
	Schema     string          `json:"schema"`
	Name       string          `json:"name"`
	Type       string          `json:"type"` // PROCEDURE or FUNCTION
	Parameters []DumpParameter `json:"parameters"`
}

// DumpParameter is a row of INFORMATION_SCHEMA.PARAMETERS.
type DumpParameter struct {
	Position  int    `json:"position"`
	Name      string `json:"name"`
	Mode      string `json:"mode"` // IN, INOUT, OUT
	IsResult  bool   `json:"is_result,omitempty"`
	DataType  string `json:"data_type"`
	MaxLength *int64 `json:"max_length,omitempty"`
}

// DumpProcedure is the text of one plan procedure (OBJECT_DEFINITION).
type DumpProcedure struct {
	Procedure  string  `json:"procedure"`
	Definition *string `json:"definition"` // null when it cannot be read: Note says why
	Note       string  `json:"note,omitempty"`
}

// Notes of a definition that could not be read.
const (
	NoteNoDefinition = "OBJECT_DEFINITION returned NULL: the procedure is encrypted (WITH ENCRYPTION) or this login may not see its definition (VIEW DEFINITION)"
	NoteNoProcedure  = "no such procedure in this database"
)

// DumpSchema reads the catalog for --dump-schema: INFORMATION_SCHEMA's
// TABLES, COLUMNS, ROUTINES and PARAMETERS, and OBJECT_DEFINITION of each
// procedure in procs. It sends only SELECTs of the SPEC 7 subset. checkErr is
// the outcome of the schema check, recorded with the dump.
func (d *DB) DumpSchema(ctx context.Context, procs []rtcschema.Procedure, checkErr error) (*SchemaDump, error) {
	out := &SchemaDump{Server: d.Server, Database: d.Database, Version: string(d.Version),
		Tables: []DumpTable{}, Routines: []DumpRoutine{}, Definitions: []DumpProcedure{}}
	var se *SchemaError
	switch {
	case errors.As(checkErr, &se):
		out.CheckErrors = se.Problems
	case checkErr != nil:
		out.CheckErrors = []string{checkErr.Error()}
	}
	tables := map[string]int{}
	err := d.dumpQuery(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES ORDER BY TABLE_SCHEMA, TABLE_NAME", nil,
		func(r *sql.Rows) error {
			var t DumpTable
			var schema, typ sql.NullString
			if err := r.Scan(&schema, &t.Name, &typ); err != nil {
				return err
			}
			t.Schema, t.Type, t.Columns = schema.String, typ.String, []DumpColumn{}
			tables[strings.ToLower(t.Schema+"."+t.Name)] = len(out.Tables)
			out.Tables = append(out.Tables, t)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = d.dumpQuery(ctx, "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE, DOMAIN_NAME "+
		"FROM INFORMATION_SCHEMA.COLUMNS ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION", nil,
		func(r *sql.Rows) error {
			var schema, table, nullable, domain sql.NullString
			var length sql.NullInt64
			var c DumpColumn
			if err := r.Scan(&schema, &table, &c.Name, &c.Position, &c.DataType, &length, &nullable, &domain); err != nil {
				return err
			}
			c.MaxLength, c.Nullable, c.Domain = nullInt(length), nullable.String == "YES", domain.String
			if i, ok := tables[strings.ToLower(schema.String+"."+table.String)]; ok {
				out.Tables[i].Columns = append(out.Tables[i].Columns, c)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	routines := map[string]int{}
	err = d.dumpQuery(ctx, "SELECT ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM INFORMATION_SCHEMA.ROUTINES ORDER BY ROUTINE_SCHEMA, ROUTINE_NAME", nil,
		func(r *sql.Rows) error {
			var rt DumpRoutine
			var schema, typ sql.NullString
			if err := r.Scan(&schema, &rt.Name, &typ); err != nil {
				return err
			}
			rt.Schema, rt.Type, rt.Parameters = schema.String, typ.String, []DumpParameter{}
			routines[strings.ToLower(rt.Schema+"."+rt.Name)] = len(out.Routines)
			out.Routines = append(out.Routines, rt)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = d.dumpQuery(ctx, "SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION, PARAMETER_MODE, IS_RESULT, PARAMETER_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH "+
		"FROM INFORMATION_SCHEMA.PARAMETERS ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION", nil,
		func(r *sql.Rows) error {
			var schema, routine, mode, isResult, name sql.NullString
			var length sql.NullInt64
			var p DumpParameter
			if err := r.Scan(&schema, &routine, &p.Position, &mode, &isResult, &name, &p.DataType, &length); err != nil {
				return err
			}
			p.Mode, p.IsResult, p.Name, p.MaxLength = mode.String, isResult.String == "YES", name.String, nullInt(length)
			if i, ok := routines[strings.ToLower(schema.String+"."+routine.String)]; ok {
				out.Routines[i].Parameters = append(out.Routines[i].Parameters, p)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, p := range procs {
		name := dbo + "." + p.RoutineName()
		dp := DumpProcedure{Procedure: name}
		var text sql.NullString
		if err := d.SQL.QueryRowContext(ctx, "SELECT OBJECT_DEFINITION(OBJECT_ID(@p1))", name).Scan(&text); err != nil {
			return nil, fmt.Errorf("%s: dump the definition of %s: %w", d.Server, name, err)
		}
		switch _, exists := routines[strings.ToLower(name)]; {
		case text.Valid:
			dp.Definition = &text.String
		case exists:
			dp.Note = NoteNoDefinition
		default:
			dp.Note = NoteNoProcedure
		}
		out.Definitions = append(out.Definitions, dp)
	}
	return out, nil
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func (d *DB) dumpQuery(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	if err := d.query(ctx, q, args, fn); err != nil {
		return fmt.Errorf("dump schema: %w", err)
	}
	return nil
}

// DumpFile is the --dump-schema file: one JSON document for every server of
// the run.
type DumpFile struct {
	WrittenBy string        `json:"written_by"` // "lyncmigrate <version> deleteaccount --check"
	Written   time.Time     `json:"written"`
	Note      string        `json:"note"`
	Servers   []*SchemaDump `json:"servers"`
}

// DumpNote heads every dump file.
const DumpNote = "catalog only (INFORMATION_SCHEMA and OBJECT_DEFINITION): no row data. Keep it with the change record."

// CheckDumpPath refuses, before anything connects, a dump file that could not
// be written: it exists (a dump is never overwritten) or its folder does not.
func CheckDumpPath(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s exists: a schema dump is never overwritten, choose another name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	return nil
}

// ValidateDump is the rule of --dump-schema FILE: it writes what --check
// reads, to a file CheckDumpPath accepts. Each command that has the flag
// calls it from its Config.Validate.
func ValidateDump(path string, check bool) error {
	switch {
	case path == "":
		return nil
	case !check:
		return setting.Errorf("%s writes what %s reads: give %s", setting.DumpSchema, setting.Check, setting.Check)
	}
	if err := CheckDumpPath(path); err != nil {
		return setting.Errorf("%s: %v", setting.DumpSchema, err)
	}
	return nil
}

// WriteDump writes the file, owner-only (0600), created exclusively and
// synced; a file cut short is removed. Lines end CRLF like every text file the
// tool writes (JSON strings never hold a raw line break).
func WriteDump(path string, f DumpFile) (err error) {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	b = bytes.ReplaceAll(append(b, '\n'), []byte("\n"), []byte("\r\n"))
	if _, err = out.Write(b); err != nil {
		return err
	}
	return out.Sync()
}
