package rtcclient

import (
	"strconv"
	"strings"
)

// MaxParams is the most parameters one statement may carry (SPEC 7: IN lists
// of at most 2,000; SQL Server's own limit is 2,100).
const MaxParams = 2000

// Placeholders returns "@p<first>, @p<first+1>, …" for n parameters: the only
// text ever spliced into a statement, and it never holds a value.
func Placeholders(first, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("@p")
		b.WriteString(strconv.Itoa(first + i))
	}
	return b.String()
}

// Ident brackets an identifier taken from the product's schema or from
// INFORMATION_SCHEMA (never from user input), doubling any "]".
func Ident(name string) string {
	return "[" + strings.ReplaceAll(name, "]", "]]") + "]"
}
