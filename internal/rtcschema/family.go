package rtcschema

import (
	"slices"
	"strings"
)

// Family is the kind of type the product needs of a column or parameter: the
// check compares families, never exact types or lengths (SPEC 7.1), because no
// public source confirms a single column type.
type Family string

const (
	// Integer holds ids. An alias type (rtc declares ResourceId as one)
	// shows as its base type in INFORMATION_SCHEMA's DATA_TYPE.
	Integer Family = "integer"
	// String holds what the product compares with its parameters
	// (UserAtHost): a binary column would compare with them by converting,
	// match nothing, and every user would be "not found".
	String Family = "string"
	// StringOrBinary holds names the product only reads: Lync most likely
	// stores display names as varbinary holding UTF-8.
	StringOrBinary Family = "string or binary"
	// Flag holds a yes/no the product reads (ResourceDirectory.Enabled).
	Flag Family = "bit or integer"
)

var familyTypes = map[Family][]string{
	Integer:        {"int", "bigint", "smallint", "tinyint"},
	String:         {"nvarchar", "varchar", "nchar", "char"},
	StringOrBinary: {"nvarchar", "varchar", "nchar", "char", "ntext", "text", "varbinary", "binary", "image"},
	Flag:           {"bit", "tinyint", "smallint", "int", "bigint"},
}

// Types lists the INFORMATION_SCHEMA DATA_TYPE values of the family.
func (f Family) Types() []string { return slices.Clone(familyTypes[f]) }

// Accepts says whether a DATA_TYPE (any case) belongs to the family.
func (f Family) Accepts(dataType string) bool {
	return slices.Contains(familyTypes[f], strings.ToLower(dataType))
}
