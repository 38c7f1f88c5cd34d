package rtcsim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// serverVersion is what LOGINACK and @@VERSION report: SQL Server 2012, a
// usual Lync 2013 back end (TDS 7.4 needs 2012 or later).
var serverVersion = [4]byte{11, 0, 0x1B, 0x59} // 11.0.7001

const versionString = "Microsoft SQL Server 2012 (SP4) - 11.0.7001.0 (X64) (rtcsim: a TDS test server over SQLite)"

// preloginReply answers PRELOGIN: VERSION, ENCRYPTION = ENCRYPT_NOT_SUP
// (the driver then refuses encrypt=true/strict and goes on in clear with
// encrypt=false/disable), INSTOPT, THREADID and MARS off.
func preloginReply() []byte {
	opts := []struct {
		tok  byte
		data []byte
	}{
		{0, []byte{serverVersion[0], serverVersion[1], serverVersion[2], serverVersion[3], 0, 0}},
		{1, []byte{2}},
		{2, []byte{0}},
		{3, []byte{0, 0, 0, 0}},
		{4, []byte{0}},
	}
	off := len(opts)*5 + 1
	var hdr, data []byte
	for _, o := range opts {
		hdr = append(hdr, o.tok, byte(off>>8), byte(off), 0, byte(len(o.data)))
		data = append(data, o.data...)
		off += len(o.data)
	}
	return append(append(hdr, 0xFF), data...)
}

// login7 holds what rtcsim reads from a LOGIN7 message ([MS-TDS] 2.2.6.4).
type login7 struct {
	tdsVersion  uint32
	packetSize  uint32
	user        string
	password    string
	database    string
	appName     string
	hostName    string
	integrated  bool // fIntSecurity: the client wants Windows (SSPI) authentication
	sspiPresent bool
}

func parseLogin7(p []byte) (*login7, error) {
	if len(p) < 94 {
		return nil, errors.New("tds: LOGIN7 too short")
	}
	field := func(at int) (string, error) {
		off := int(binary.LittleEndian.Uint16(p[at:]))
		n := int(binary.LittleEndian.Uint16(p[at+2:])) * 2
		if n == 0 {
			return "", nil
		}
		if off+n > len(p) {
			return "", fmt.Errorf("tds: LOGIN7 field at %d out of range", at)
		}
		return fromUCS2(p[off : off+n]), nil
	}
	l := &login7{
		tdsVersion: binary.LittleEndian.Uint32(p[4:]),
		packetSize: binary.LittleEndian.Uint32(p[8:]),
		integrated: p[25]&0x80 != 0,
	}
	var err error
	if l.hostName, err = field(36); err != nil {
		return nil, err
	}
	if l.user, err = field(40); err != nil {
		return nil, err
	}
	// The password is obfuscated: each byte nibble-swapped then XOR 0xA5.
	off, n := int(binary.LittleEndian.Uint16(p[44:])), int(binary.LittleEndian.Uint16(p[46:]))*2
	if off+n > len(p) {
		return nil, errors.New("tds: LOGIN7 password out of range")
	}
	pw := make([]byte, n)
	for i, b := range p[off : off+n] {
		b ^= 0xA5
		pw[i] = b<<4 | b>>4
	}
	l.password = fromUCS2(pw)
	if l.appName, err = field(48); err != nil {
		return nil, err
	}
	if l.database, err = field(68); err != nil {
		return nil, err
	}
	l.sspiPresent = binary.LittleEndian.Uint16(p[80:]) != 0
	return l, nil
}

// loginAck writes the tokens of a successful login.
func (s *session) loginAck(out *tokBuf, l *login7) {
	out.envchangeString(1, s.srv.database, "master")
	out.envchangeBytes(7, []byte(collationLatinCI), nil)
	out.envchangeString(2, "us_english", "")
	out.envchangeString(4, strconv.Itoa(s.packetSize), strconv.Itoa(defaultPacketSize))
	var ack tokBuf
	ack.u8(1)                         // interface: SQL_TSQL
	ack.raw([]byte{0x74, 0, 0, 0x04}) // TDS 7.4
	ack.bvarchar("Microsoft SQL Server")
	ack.raw(serverVersion[:])
	out.u8(tokLoginAck)
	out.u16(uint16(len(ack.b)))
	out.raw(ack.b)
	out.done(tokDone, doneFinal, 0, 0)
}
