package runlog

import "github.com/lyncmigrate/lyncmigrate/internal/result"

// WriteSummary writes the summary block (SPEC 3.3) as INFO lines, at every
// level, in one piece.
func (l *Logger) WriteSummary(s result.Summary) {
	var b []byte
	for _, line := range s.Lines() {
		b = l.appendLines(b, sevInfo, line)
	}
	l.write(b)
}
