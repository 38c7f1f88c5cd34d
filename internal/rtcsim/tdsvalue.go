package rtcsim

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// TDS data type ids ([MS-TDS] 2.2.5.4; go-mssqldb types.go).
const (
	tyNull           = 0x1F
	tyGUID           = 0x24
	tyIntN           = 0x26
	tyDateN          = 0x28
	tyTimeN          = 0x29
	tyDateTime2N     = 0x2A
	tyDateTimeOffN   = 0x2B
	tyBitN           = 0x68
	tyDecimalN       = 0x6A
	tyNumericN       = 0x6C
	tyFltN           = 0x6D
	tyMoneyN         = 0x6E
	tyDateTimeN      = 0x6F
	tyBigVarBin      = 0xA5
	tyBigVarChar     = 0xA7
	tyBigBinary      = 0xAD
	tyBigChar        = 0xAF
	tyNVarChar       = 0xE7
	tyNChar          = 0xEF
	tyInt1           = 0x30
	tyBit            = 0x32
	tyInt2           = 0x34
	tyInt4           = 0x38
	tyDateTim4       = 0x3A
	tyFlt4           = 0x3B
	tyDateTime       = 0x3D
	tyFlt8           = 0x3E
	tyInt8           = 0x7F
	plpNull          = math.MaxUint64
	timeLayout       = "2006-01-02 15:04:05.9999999"
	collationLatinCI = "\x09\x04\xD0\x00\x34" // SQL_Latin1_General_CP1_CI_AS, the rtc collation family
)

var (
	epoch1900 = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	epoch0001 = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
)

// writeTypeInfo writes the TYPE_INFO of a result column of type t.
func writeTypeInfo(b *tokBuf, t SQLType) {
	switch t.Name {
	case "int", "bigint", "smallint", "tinyint":
		b.u8(tyIntN)
		b.u8(byte(intSize(t.Name)))
	case "bit":
		b.u8(tyBitN)
		b.u8(1)
	case "float":
		b.u8(tyFltN)
		b.u8(8)
	case "real":
		b.u8(tyFltN)
		b.u8(4)
	case "nvarchar", "nchar", "varchar", "char":
		b.u8(map[string]byte{"nvarchar": tyNVarChar, "nchar": tyNChar, "varchar": tyBigVarChar, "char": tyBigChar}[t.Name])
		b.u16(shortLen(t))
		b.raw([]byte(collationLatinCI))
	case "varbinary", "binary":
		if t.Name == "varbinary" {
			b.u8(tyBigVarBin)
		} else {
			b.u8(tyBigBinary)
		}
		b.u16(shortLen(t))
	case "datetime":
		b.u8(tyDateTimeN)
		b.u8(8)
	case "smalldatetime":
		b.u8(tyDateTimeN)
		b.u8(4)
	case "datetime2":
		b.u8(tyDateTime2N)
		b.u8(byte(t.Scale))
	case "uniqueidentifier":
		b.u8(tyGUID)
		b.u8(16)
	default:
		panic("rtcsim: no TDS type for " + t.Name)
	}
}

func intSize(name string) int {
	switch name { // a switch, not a map literal: this runs for every integer value sent
	case "tinyint":
		return 1
	case "smallint":
		return 2
	case "int":
		return 4
	case "bigint":
		return 8
	}
	return 0
}

// shortLen is the USHORT max length of a character or binary column, 0xFFFF for MAX (PLP).
func shortLen(t SQLType) uint16 {
	switch {
	case t.Len == -1:
		return 0xFFFF
	case t.Name == "nvarchar" || t.Name == "nchar":
		return uint16(2 * t.Len)
	}
	return uint16(t.Len)
}

// writeValue encodes v (as SQLite returned it) in the ROW format of type t.
func writeValue(b *tokBuf, t SQLType, v any) error {
	if v == nil {
		switch {
		case t.Len == -1:
			b.u64(plpNull)
		case t.isText() || t.isBinary():
			b.u16(0xFFFF)
		default:
			b.u8(0)
		}
		return nil
	}
	switch t.Name {
	case "int", "bigint", "smallint", "tinyint":
		n, err := toInt64(v)
		if err != nil {
			return err
		}
		size := intSize(t.Name)
		b.u8(byte(size))
		switch size {
		case 1:
			b.u8(byte(n))
		case 2:
			b.u16(uint16(n))
		case 4:
			b.u32(uint32(n))
		default:
			b.u64(uint64(n))
		}
	case "bit":
		n, err := toInt64(v)
		if err != nil {
			return err
		}
		b.u8(1)
		if n != 0 {
			b.u8(1)
		} else {
			b.u8(0)
		}
	case "float", "real":
		f, err := toFloat64(v)
		if err != nil {
			return err
		}
		if t.Name == "real" {
			b.u8(4)
			b.u32(math.Float32bits(float32(f)))
		} else {
			b.u8(8)
			b.u64(math.Float64bits(f))
		}
	case "nvarchar", "nchar":
		s := toString(v)
		if t.Name == "nchar" {
			s = padRight(s, t.Len)
		}
		return writeChars(b, t, appendUCS2(nil, s))
	case "varchar", "char":
		s := toString(v)
		if t.Name == "char" {
			s = padRight(s, t.Len)
		}
		enc, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			enc = strings.Map(func(r rune) rune {
				if r > 0x7F {
					return '?'
				}
				return r
			}, s)
		}
		return writeChars(b, t, []byte(enc))
	case "varbinary", "binary":
		var raw []byte
		switch x := v.(type) {
		case []byte:
			raw = x
		case string:
			raw = []byte(x)
		default:
			return fmt.Errorf("want bytes, got %T", v)
		}
		return writeChars(b, t, raw)
	case "datetime", "smalldatetime", "datetime2":
		tm, err := toTime(v)
		if err != nil {
			return err
		}
		switch t.Name {
		case "datetime":
			days, ticks := datetimeParts(tm)
			b.u8(8)
			b.u32(uint32(days))
			b.u32(ticks)
		case "smalldatetime":
			tm = tm.Add(30 * time.Second).Truncate(time.Minute)
			days, _ := datetimeParts(tm)
			b.u8(4)
			b.u16(uint16(days))
			b.u16(uint16(tm.Hour()*60 + tm.Minute()))
		default:
			b.raw(encodeDateTime2(tm, t.Scale))
		}
	case "uniqueidentifier":
		g, err := parseGUID(toString(v))
		if err != nil {
			return err
		}
		b.u8(16)
		b.raw(g)
	default:
		return fmt.Errorf("no encoding for %s", t.Name)
	}
	return nil
}

// writeChars writes character or binary data as USHORTLEN or PLP.
func writeChars(b *tokBuf, t SQLType, data []byte) error {
	if t.Len == -1 {
		b.u64(uint64(len(data)))
		if len(data) > 0 {
			b.u32(uint32(len(data)))
			b.raw(data)
		}
		b.u32(0)
		return nil
	}
	if len(data) > int(shortLen(t)) {
		return newError(ErrTruncation, "rtcsim: value of %d bytes does not fit %s", len(data), t)
	}
	b.u16(uint16(len(data)))
	b.raw(data)
	return nil
}

func padRight(s string, n int) string {
	if l := len([]rune(s)); l < n {
		return s + strings.Repeat(" ", n-l)
	}
	return s
}

// datetimeParts returns the DATETIME day number (since 1900-01-01) and
// 1/300-second ticks of tm, rounded as SQL Server rounds.
func datetimeParts(tm time.Time) (int32, uint32) {
	tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
	day := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
	days := int32(day.Sub(epoch1900).Hours() / 24)
	ticks := uint32(math.Round(float64(tm.Sub(day)) * 300 / float64(time.Second)))
	if ticks >= 300*86400 {
		days, ticks = days+1, 0
	}
	return days, ticks
}

func encodeDateTime2(tm time.Time, scale int) []byte {
	tm = time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)
	day := time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC)
	units := uint64(tm.Sub(day)) / uint64(math.Pow10(9-scale))
	tlen := timeLen(scale)
	days := int64(day.Unix()-epoch0001.Unix()) / 86400 // Sub would overflow time.Duration
	out := []byte{byte(tlen + 3)}
	for i := 0; i < tlen; i++ {
		out = append(out, byte(units>>(8*i)))
	}
	return append(out, byte(days), byte(days>>8), byte(days>>16))
}

func timeLen(scale int) int {
	switch {
	case scale <= 2:
		return 3
	case scale <= 4:
		return 4
	}
	return 5
}

func toInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case float64:
		return int64(x), nil
	case string:
		return strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	case []byte:
		return strconv.ParseInt(strings.TrimSpace(string(x)), 10, 64)
	}
	return 0, fmt.Errorf("want integer, got %T", v)
}

func toFloat64(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case string:
		return strconv.ParseFloat(strings.TrimSpace(x), 64)
	}
	return 0, fmt.Errorf("want float, got %T", v)
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		return x.Format(timeLayout)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		return parseTimeText(x)
	case []byte:
		return parseTimeText(string(x))
	}
	return time.Time{}, fmt.Errorf("want date/time, got %T", v)
}

func parseTimeText(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{timeLayout, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05.9999999Z07:00", "2006-01-02 15:04:05.9999999Z07:00", "2006-01-02 15:04", "2006-01-02", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, newError(241, "Conversion failed when converting date and/or time from character string.")
}

// parseGUID turns "6F9619FF-8B86-D011-B42D-00C04FC964FF" into SQL Server's
// byte order (first three groups little-endian).
func parseGUID(s string) ([]byte, error) {
	s = strings.Trim(strings.TrimSpace(s), "{}")
	raw, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(raw) != 16 {
		return nil, newError(8169, "Conversion failed when converting from a character string to uniqueidentifier.")
	}
	out := make([]byte, 16)
	binary.LittleEndian.PutUint32(out, binary.BigEndian.Uint32(raw))
	binary.LittleEndian.PutUint16(out[4:], binary.BigEndian.Uint16(raw[4:]))
	binary.LittleEndian.PutUint16(out[6:], binary.BigEndian.Uint16(raw[6:]))
	copy(out[8:], raw[8:])
	return out, nil
}

func formatGUID(b []byte) string {
	return fmt.Sprintf("%08X-%04X-%04X-%X-%X", binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint16(b[4:]),
		binary.LittleEndian.Uint16(b[6:]), b[8:10], b[10:16])
}

// readParamValue reads the TYPE_INFO and value of one RPC parameter and
// returns it as a value SQLite binds: nil, int64, float64, bool, string, []byte.
// Dates are bound as text in timeLayout, GUIDs as upper-case text.
func readParamValue(r *reader) (any, SQLType, error) {
	typ := r.u8()
	switch typ {
	case tyNull:
		return nil, SQLType{Name: "int"}, r.err
	case tyIntN, tyBitN, tyFltN, tyDateTimeN, tyMoneyN:
		r.u8() // max size
		n := int(r.u8())
		b := r.take(n)
		if r.err != nil || n == 0 {
			return nil, paramType(typ, n), r.err
		}
		switch typ {
		case tyBitN:
			return b[0] != 0, SQLType{Name: "bit"}, nil
		case tyFltN:
			if n == 4 {
				return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))), SQLType{Name: "real"}, nil
			}
			return math.Float64frombits(binary.LittleEndian.Uint64(b)), SQLType{Name: "float"}, nil
		case tyDateTimeN:
			if n == 4 {
				tm := epoch1900.AddDate(0, 0, int(binary.LittleEndian.Uint16(b))).Add(time.Duration(binary.LittleEndian.Uint16(b[2:])) * time.Minute)
				return tm.Format(timeLayout), SQLType{Name: "smalldatetime"}, nil
			}
			days := int32(binary.LittleEndian.Uint32(b))
			ticks := binary.LittleEndian.Uint32(b[4:])
			tm := epoch1900.AddDate(0, 0, int(days)).Add(time.Duration(math.Round(float64(ticks) * 1e9 / 300)))
			return tm.Format(timeLayout), SQLType{Name: "datetime"}, nil
		case tyMoneyN:
			return nil, SQLType{}, unsupported("money parameters")
		}
		var v int64
		switch n {
		case 1:
			v = int64(b[0])
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(b)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(b)))
		case 8:
			v = int64(binary.LittleEndian.Uint64(b))
		default:
			return nil, SQLType{}, fmt.Errorf("bad INTN length %d", n)
		}
		return v, paramType(typ, n), nil
	case tyNVarChar, tyNChar, tyBigVarChar, tyBigChar, tyBigVarBin, tyBigBinary:
		maxLen := r.u16()
		if typ != tyBigVarBin && typ != tyBigBinary {
			r.take(5) // collation
		}
		var b []byte
		if maxLen == 0xFFFF {
			b = readPLP(r)
		} else if n := r.u16(); n != 0xFFFF {
			b = r.take(int(n))
		}
		t := SQLType{Name: map[byte]string{tyNVarChar: "nvarchar", tyNChar: "nchar", tyBigVarChar: "varchar", tyBigChar: "char", tyBigVarBin: "varbinary", tyBigBinary: "binary"}[typ]}
		if maxLen == 0xFFFF {
			t.Len = -1
		} else if typ == tyNVarChar || typ == tyNChar {
			t.Len = int(maxLen) / 2
		} else {
			t.Len = int(maxLen)
		}
		if r.err != nil || b == nil {
			return nil, t, r.err
		}
		switch typ {
		case tyNVarChar, tyNChar:
			return fromUCS2(b), t, nil
		case tyBigVarChar, tyBigChar:
			s, err := charmap.Windows1252.NewDecoder().Bytes(b)
			if err != nil {
				return string(b), t, nil
			}
			return string(s), t, nil
		}
		return append([]byte{}, b...), t, nil
	case tyGUID:
		r.u8()
		n := int(r.u8())
		b := r.take(n)
		if r.err != nil || n == 0 {
			return nil, SQLType{Name: "uniqueidentifier"}, r.err
		}
		if n != 16 {
			return nil, SQLType{}, fmt.Errorf("bad GUID length %d", n)
		}
		return formatGUID(b), SQLType{Name: "uniqueidentifier"}, nil
	case tyDateN:
		n := int(r.u8())
		b := r.take(n)
		if r.err != nil || n == 0 {
			return nil, SQLType{Name: "datetime2"}, r.err
		}
		days := int(b[0]) | int(b[1])<<8 | int(b[2])<<16
		return epoch0001.AddDate(0, 0, days).Format("2006-01-02"), SQLType{Name: "datetime2", Scale: 0}, nil
	case tyTimeN, tyDateTime2N, tyDateTimeOffN:
		scale := int(r.u8())
		n := int(r.u8())
		b := r.take(n)
		t := SQLType{Name: "datetime2", Scale: scale}
		if r.err != nil || n == 0 {
			return nil, t, r.err
		}
		if scale > 7 {
			return nil, t, errors.New("bad time scale")
		}
		tlen := timeLen(scale)
		if n < tlen {
			return nil, t, errors.New("bad time length")
		}
		var units uint64
		for i := tlen - 1; i >= 0; i-- {
			units = units<<8 | uint64(b[i])
		}
		tod := time.Duration(units) * time.Duration(math.Pow10(9-scale))
		if typ == tyTimeN {
			return epoch1900.Add(tod).Format(timeLayout), t, nil
		}
		if n < tlen+3 {
			return nil, t, errors.New("bad date length")
		}
		days := int(b[tlen]) | int(b[tlen+1])<<8 | int(b[tlen+2])<<16
		tm := epoch0001.AddDate(0, 0, days).Add(tod) // UTC for DATETIMEOFFSET
		if typ == tyDateTimeOffN && n >= tlen+5 {
			off := int16(binary.LittleEndian.Uint16(b[tlen+3:]))
			tm = tm.Add(time.Duration(off) * time.Minute) // local time of the offset, as a conversion to datetime keeps it
		}
		return tm.Format(timeLayout), t, nil
	case tyDecimalN, tyNumericN:
		return nil, SQLType{}, unsupported("decimal parameters (the driver sends decimals as nvarchar)")
	}
	if r.err != nil {
		return nil, SQLType{}, r.err
	}
	return nil, SQLType{}, fmt.Errorf("unsupported parameter type 0x%02X", typ)
}

func paramType(typ byte, n int) SQLType {
	switch typ {
	case tyBitN:
		return SQLType{Name: "bit"}
	case tyFltN:
		return SQLType{Name: "float"}
	case tyDateTimeN:
		return SQLType{Name: "datetime"}
	}
	switch n {
	case 1:
		return SQLType{Name: "tinyint"}
	case 2:
		return SQLType{Name: "smallint"}
	case 4:
		return SQLType{Name: "int"}
	}
	return SQLType{Name: "bigint"}
}

// readPLP reads a partially length-prefixed value; nil means NULL.
func readPLP(r *reader) []byte {
	total := r.u64()
	if total == plpNull {
		return nil
	}
	out := []byte{}
	for r.err == nil {
		n := r.u32()
		if n == 0 {
			break
		}
		out = append(out, r.take(int(n))...)
	}
	return out
}
