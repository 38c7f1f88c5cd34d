package runlog

import "fmt"

// Block collects the lines of one user so that they reach the log together:
// with several workers, users do not interleave. Lines below the log level
// are dropped as they are added. A Block is used by one goroutine.
type Block struct {
	l   *Logger
	buf []byte
}

// Block starts an empty block.
func (l *Logger) Block() *Block { return &Block{l: l} }

func (b *Block) Errorf(format string, args ...any) { b.add(sevError, format, args) }
func (b *Block) Warnf(format string, args ...any)  { b.add(sevWarn, format, args) }
func (b *Block) Infof(format string, args ...any)  { b.add(sevInfo, format, args) }
func (b *Block) Debugf(format string, args ...any) { b.add(sevDebug, format, args) }

func (b *Block) add(v severity, format string, args []any) {
	if !b.l.level.shows(v) {
		return
	}
	b.buf = b.l.appendLines(b.buf, v, fmt.Sprintf(format, args...))
}

// Len is the number of bytes waiting.
func (b *Block) Len() int { return len(b.buf) }

// Commit writes the collected lines in one piece and empties the block,
// which can then be reused.
func (b *Block) Commit() {
	b.l.write(b.buf)
	b.buf = b.buf[:0]
}
