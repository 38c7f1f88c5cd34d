package deleteaccount

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// undoTxn is one (user, server) transaction of a backup file.
type undoTxn struct {
	head      backupRecord // the begin record
	rows      []backupRecord
	kept      []int // positions in rows of those that did not vanish
	committed bool
	aborted   bool
}

// readBackup reads a DeleteAccountBackup file and returns the transactions
// to undo, in file order: those with a committed record and no aborted one,
// and those with neither — the run was cut short around their COMMIT, so
// they may have been committed (a warning names them; their rows that are
// still there are skipped like any other). A torn last line (a crash while
// writing) is reported in warnings; any other malformed line makes the file
// unusable.
func readBackup(path string) (txns []*undoTxn, warnings []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--undo: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	byTxn := map[int64]*undoTxn{}
	var order []*undoTxn
	for n := 1; ; n++ {
		line, rerr := r.ReadBytes('\n')
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			return nil, nil, fmt.Errorf("--undo %s: %w", path, rerr)
		}
		last := errors.Is(rerr, io.EOF)
		line = bytes.TrimSpace(line)
		if len(line) > 0 {
			var rec backupRecord
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber()
			if err := dec.Decode(&rec); err != nil || rec.Txn == 0 {
				if last {
					warnings = append(warnings, fmt.Sprintf("%s line %d is incomplete (ignored): the run that wrote it was cut short", path, n))
					break
				}
				return nil, nil, fmt.Errorf("--undo %s line %d: not a backup record", path, n)
			}
			t := byTxn[rec.Txn]
			if t == nil {
				if rec.Type != recBegin {
					return nil, nil, fmt.Errorf("--undo %s line %d: %s record before its begin", path, n, rec.Type)
				}
				t = &undoTxn{head: rec}
				byTxn[rec.Txn] = t
				order = append(order, t)
			} else {
				switch rec.Type {
				case recRow:
					t.rows = append(t.rows, rec)
				case recKept:
					for _, k := range rec.Kept {
						if k < 0 || k >= len(t.rows) {
							return nil, nil, fmt.Errorf("--undo %s line %d: kept row %d of transaction %d, which has %d rows", path, n, k, rec.Txn, len(t.rows))
						}
					}
					t.kept = append(t.kept, rec.Kept...)
				case recCommitted:
					t.committed = true
				case recAborted:
					t.aborted = true
				default:
					return nil, nil, fmt.Errorf("--undo %s line %d: unknown record type %q", path, n, rec.Type)
				}
			}
		}
		if last {
			break
		}
	}
	for _, t := range order {
		t.dropKept()
		switch {
		case t.aborted:
		case t.committed:
			txns = append(txns, t)
		default:
			warnings = append(warnings, fmt.Sprintf("%s: transaction %d (%s on %s) has no committed or aborted record: the run was cut short around its COMMIT; its rows that are missing are restored",
				path, t.head.Txn, t.head.User, t.head.Server))
			txns = append(txns, t)
		}
	}
	return txns, warnings, nil
}

// dropKept leaves only the rows that vanished: a kept record names those
// the transaction read but did not remove.
func (t *undoTxn) dropKept() {
	if len(t.kept) == 0 {
		return
	}
	kept := make(map[int]bool, len(t.kept))
	for _, k := range t.kept {
		kept[k] = true
	}
	rows := t.rows[:0]
	for i, r := range t.rows {
		if !kept[i] {
			rows = append(rows, r)
		}
	}
	t.rows, t.kept = rows, nil
}

// undoValue turns a backed-up JSON value back into what the driver should
// send for a column of this type.
func undoValue(v any, dataType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch strings.ToLower(dataType) {
	case "int", "bigint", "smallint", "tinyint":
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case "float", "real":
		if n, ok := v.(json.Number); ok {
			return n.Float64()
		}
	case "bit":
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case "uniqueidentifier":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "binary", "varbinary", "image", "timestamp", "rowversion":
		if s, ok := v.(string); ok {
			return base64.StdEncoding.DecodeString(s)
		}
	case "datetime", "datetime2", "smalldatetime", "date", "time", "datetimeoffset":
		if s, ok := v.(string); ok {
			return time.Parse(time.RFC3339Nano, s)
		}
	default:
		if s, ok := v.(string); ok {
			return s, nil // text types, decimals kept as text
		}
		if n, ok := v.(json.Number); ok {
			return n.String(), nil
		}
	}
	return nil, fmt.Errorf("value %v does not fit type %s", v, dataType)
}
