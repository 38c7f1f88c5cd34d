package deleteaccount

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// rowEncoder writes row records exactly as json.Marshal(backupRecord) would,
// without reflecting over every row: a user's rows are mostly in a few
// tables, so each table's fixed part (type, txn, server, database, version,
// table, columns, types) is marshalled once and only the values per row.
type rowEncoder struct {
	h      txnHeader
	txn    int64
	table  string
	cols   []string
	types  []string
	prefix []byte // `{"type":"row",…,"types":[…],"values":`
}

func (e *rowEncoder) append(buf []byte, r backupRow) ([]byte, error) {
	if e.prefix == nil || r.Table != e.table || !sameStrings(r.Columns, e.cols) || !sameStrings(r.Types, e.types) {
		rec := e.h.record(recRow, e.txn)
		rec.User, rec.ResourceID = "", 0 // the begin record says whose rows they are
		rec.Table, rec.Columns, rec.Types = r.Table, r.Columns, r.Types
		b, err := json.Marshal(rec)
		if err != nil {
			return buf, err
		}
		// "values" follows "types" and nothing non-empty follows it in a row
		// record ("reason" is only on aborted records).
		e.table, e.cols, e.types = r.Table, r.Columns, r.Types
		e.prefix = append(b[:len(b)-1:len(b)-1], `,"values":`...)
	}
	buf = append(buf, e.prefix...)
	if len(r.Values) == 0 {
		// omitempty: json.Marshal leaves "values" out altogether
		buf = buf[:len(buf)-len(`,"values":`)]
		return append(buf, '}'), nil
	}
	buf = append(buf, '[')
	for i, v := range r.Values {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendJSONValue(buf, v); err != nil {
			return buf, err
		}
	}
	return append(buf, ']', '}'), nil
}

// appendJSONValue appends v as json.Marshal would: the common column types
// directly, anything else through encoding/json.
func appendJSONValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case int32:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case string:
		if plainJSON(x) {
			buf = append(buf, '"')
			buf = append(buf, x...)
			return append(buf, '"'), nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return buf, err
	}
	return append(buf, b...), nil
}

// plainJSON reports a string that encoding/json writes unchanged between
// quotes: valid UTF-8 without control characters, quotes, backslashes, the
// HTML characters it escapes (<, >, &) or U+2028/U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
