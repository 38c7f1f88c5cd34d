package rtcsim

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
)

// TDS packet types ([MS-TDS] 2.2.3.1.1), as go-mssqldb names them in tds.go.
const (
	pkSQLBatch  = 1
	pkRPC       = 3
	pkReply     = 4
	pkAttention = 6
	pkTransMgr  = 14
	pkLogin7    = 16
	pkPrelogin  = 18
)

// Packet status bits.
const (
	statusEOM   = 0x01
	statusReset = 0x08 // RESETCONNECTION, set by the driver when a pooled connection is reused
)

// Token ids ([MS-TDS] 2.2.7; go-mssqldb token.go).
const (
	tokReturnStatus = 0x79
	tokColMetadata  = 0x81
	tokError        = 0xAA
	tokInfo         = 0xAB
	tokLoginAck     = 0xAD
	tokRow          = 0xD1
	tokEnvChange    = 0xE3
	tokDone         = 0xFD
	tokDoneProc     = 0xFE
	tokDoneInProc   = 0xFF
)

// DONE status bits and CurCmd values.
const (
	doneFinal = 0x00
	doneMore  = 0x01
	doneError = 0x02
	doneCount = 0x10
	doneAttn  = 0x20

	cmdSelect = 0xC1
	cmdInsert = 0xC3
	cmdDelete = 0xC4
	cmdUpdate = 0xC5
	cmdExec   = 0xE0
	cmdSet    = 0xB9 // a SET statement (no row count)
)

const (
	defaultPacketSize = 4096
	maxPacketSize     = 32767
	minPacketSize     = 512
	maxMessageSize    = 64 << 20 // refuse requests above 64 MiB rather than exhaust memory
)

// message is one client request: the payload of consecutive packets up to EOM.
type message struct {
	typ     byte
	status  byte // status of the first packet (RESETCONNECTION lives there)
	payload []byte
}

// readMessage reads packets until EOM.
func readMessage(r io.Reader) (message, error) {
	var m message
	var hdr [8]byte
	first := true
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return m, err
		}
		n := int(binary.BigEndian.Uint16(hdr[2:4])) - 8
		if n < 0 {
			return m, errors.New("tds: bad packet length")
		}
		if first {
			m.typ, m.status = hdr[0], hdr[1]
			first = false
		} else if hdr[0] != m.typ {
			return m, fmt.Errorf("tds: packet type %d inside a type %d message", hdr[0], m.typ)
		}
		if len(m.payload)+n > maxMessageSize {
			return m, errors.New("tds: request too large")
		}
		start := len(m.payload)
		m.payload = append(m.payload, make([]byte, n)...)
		if _, err := io.ReadFull(r, m.payload[start:]); err != nil {
			return m, err
		}
		if hdr[1]&statusEOM != 0 {
			return m, nil
		}
	}
}

// packetWriter streams one reply message as TDS packets of the negotiated
// size, so that a large result set never sits whole in memory.
type packetWriter struct {
	w      *bufio.Writer
	size   int // packet size including the 8-byte header
	typ    byte
	buf    []byte // payload of the current packet
	id     byte
	err    error
	closed bool
}

func newPacketWriter(w io.Writer, size int) *packetWriter {
	return &packetWriter{w: bufio.NewWriterSize(w, 2*size), size: size}
}

// begin starts a new message of type typ.
func (p *packetWriter) begin(typ byte) {
	p.typ, p.buf, p.id, p.closed = typ, p.buf[:0], 1, false
}

func (p *packetWriter) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 && p.err == nil {
		room := p.size - 8 - len(p.buf)
		if room == 0 {
			p.flushPacket(false)
			continue
		}
		if room > len(b) {
			room = len(b)
		}
		p.buf = append(p.buf, b[:room]...)
		b = b[room:]
	}
	return n, p.err
}

func (p *packetWriter) flushPacket(last bool) {
	if p.err != nil {
		return
	}
	var hdr [8]byte
	hdr[0] = p.typ
	if last {
		hdr[1] = statusEOM
	}
	binary.BigEndian.PutUint16(hdr[2:], uint16(len(p.buf)+8))
	hdr[6] = p.id
	p.id++
	if _, err := p.w.Write(hdr[:]); err != nil {
		p.err = err
		return
	}
	if _, err := p.w.Write(p.buf); err != nil {
		p.err = err
	}
	p.buf = p.buf[:0]
}

// end writes the last packet of the message and flushes the socket.
func (p *packetWriter) end() error {
	if !p.closed {
		p.flushPacket(true)
		p.closed = true
	}
	if p.err == nil {
		p.err = p.w.Flush()
	}
	return p.err
}

// tokBuf builds token bytes little-endian, as TDS wants them.
type tokBuf struct{ b []byte }

func (t *tokBuf) u8(v byte)    { t.b = append(t.b, v) }
func (t *tokBuf) u16(v uint16) { t.b = binary.LittleEndian.AppendUint16(t.b, v) }
func (t *tokBuf) u32(v uint32) { t.b = binary.LittleEndian.AppendUint32(t.b, v) }
func (t *tokBuf) u64(v uint64) { t.b = binary.LittleEndian.AppendUint64(t.b, v) }
func (t *tokBuf) raw(v []byte) { t.b = append(t.b, v...) }
func (t *tokBuf) reset()       { t.b = t.b[:0] }
func (t *tokBuf) bvarchar(s string) {
	u := appendUCS2(nil, s)
	t.u8(byte(len(u) / 2))
	t.raw(u)
}
func (t *tokBuf) usvarchar(s string) {
	u := appendUCS2(nil, s)
	t.u16(uint16(len(u) / 2))
	t.raw(u)
}

func (t *tokBuf) done(tok byte, status, curcmd uint16, rows uint64) {
	t.u8(tok)
	t.u16(status)
	t.u16(curcmd)
	t.u64(rows)
}

// envchange writes an ENVCHANGE token; string values are B_VARCHAR,
// binary values (transaction descriptors, collation) B_VARBYTE.
func (t *tokBuf) envchangeString(typ byte, newv, oldv string) {
	var body tokBuf
	body.u8(typ)
	body.bvarchar(newv)
	body.bvarchar(oldv)
	t.u8(tokEnvChange)
	t.u16(uint16(len(body.b)))
	t.raw(body.b)
}

func (t *tokBuf) envchangeBytes(typ byte, newv, oldv []byte) {
	var body tokBuf
	body.u8(typ)
	body.u8(byte(len(newv)))
	body.raw(newv)
	body.u8(byte(len(oldv)))
	body.raw(oldv)
	t.u8(tokEnvChange)
	t.u16(uint16(len(body.b)))
	t.raw(body.b)
}

// sqlError writes an ERROR token for e.
func (t *tokBuf) sqlError(e *Error, server string) {
	var body tokBuf
	body.u32(uint32(e.Number))
	body.u8(e.State)
	body.u8(e.Class)
	msg := e.Message
	if len(msg) > 4000 {
		msg = msg[:4000]
	}
	body.usvarchar(msg)
	body.bvarchar(server)
	body.bvarchar(e.Proc)
	body.u32(uint32(e.Line))
	t.u8(tokError)
	t.u16(uint16(len(body.b)))
	t.raw(body.b)
}

func appendUCS2(dst []byte, s string) []byte {
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r1))
			dst = binary.LittleEndian.AppendUint16(dst, uint16(r2))
			continue
		}
		dst = binary.LittleEndian.AppendUint16(dst, uint16(r))
	}
	return dst
}

func fromUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// reader decodes little-endian request bytes; the first short read sets err
// and every later call returns zeros, so parsers check err once at the end.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		if r.err == nil {
			r.err = io.ErrUnexpectedEOF
		}
		return make([]byte, max(n, 0))
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}
func (r *reader) u8() byte    { return r.take(1)[0] }
func (r *reader) u16() uint16 { return binary.LittleEndian.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return binary.LittleEndian.Uint32(r.take(4)) }
func (r *reader) u64() uint64 { return binary.LittleEndian.Uint64(r.take(8)) }
func (r *reader) bvarchar() string {
	return fromUCS2(r.take(int(r.u8()) * 2))
}

// skipAllHeaders drops the ALL_HEADERS block (transaction descriptor and
// outstanding request count) that precedes batches, RPCs and TransMgr requests.
func skipAllHeaders(p []byte) ([]byte, error) {
	if len(p) < 4 {
		return nil, errors.New("tds: missing ALL_HEADERS")
	}
	n := int(binary.LittleEndian.Uint32(p))
	if n < 4 || n > len(p) {
		return nil, errors.New("tds: bad ALL_HEADERS length")
	}
	return p[n:], nil
}
