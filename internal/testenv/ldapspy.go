package testenv

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// LDAPSpy relays connections to the DC's plain LDAP port and decodes every
// request the client sends, so that a test proves what went over the wire —
// no write at all in a dry run or a verify, one modify request per changed
// user — rather than inferring it from the directory (a dump cannot see a
// write that set the values they already had).
type LDAPSpy struct {
	URL string // ldap://127.0.0.1:port, for adclient.Config.Server

	mu       sync.Mutex
	ops      map[int]int // LDAP application tag -> requests
	modified []string    // DN of each modify request, in order
	// beforeModify, when set, is called with the DN of each modify request
	// before the request is passed on: the DC has not seen it yet, and the
	// client is waiting for its answer.
	beforeModify func(dn string)
}

// StartLDAPSpy listens on 127.0.0.1 and relays to upstream (ADEnv.PlainURL)
// until the test ends.
func StartLDAPSpy(t testing.TB, upstream string) *LDAPSpy {
	t.Helper()
	up := strings.TrimPrefix(upstream, "ldap://")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &LDAPSpy{URL: "ldap://" + l.Addr().String(), ops: map[int]int{}}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.relay(t, c, up) })
		}
	})
	return s
}

func (s *LDAPSpy) relay(t testing.TB, client net.Conn, upstream string) {
	defer client.Close()
	server, err := net.Dial("tcp", upstream)
	if err != nil {
		t.Errorf("spy: dial %s: %v", upstream, err)
		return
	}
	defer server.Close()
	go func() {
		io.Copy(client, server)
		client.Close()
	}()
	// Each request goes on to the server byte for byte as the client sent
	// it, once it is read whole and counted: the spy never rewrites.
	var raw bytes.Buffer
	in := io.TeeReader(client, &raw)
	for {
		p, err := ber.ReadPacket(in)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "closed") {
				t.Logf("spy: %v", err)
			}
			return
		}
		s.record(t, p)
		if _, err := server.Write(raw.Bytes()); err != nil {
			return
		}
		raw.Reset()
	}
}

// record counts one LDAPMessage: SEQUENCE { messageID, protocolOp, … }.
func (s *LDAPSpy) record(t testing.TB, p *ber.Packet) {
	if len(p.Children) < 2 || p.Children[1].ClassType != ber.ClassApplication {
		t.Errorf("spy: not an LDAP request: %d children", len(p.Children))
		return
	}
	op := p.Children[1]
	s.mu.Lock()
	s.ops[int(op.Tag)]++
	var dn string
	if op.Tag == ldap.ApplicationModifyRequest && len(op.Children) > 0 {
		dn = string(op.Children[0].ByteValue)
		s.modified = append(s.modified, dn)
	}
	hook := s.beforeModify
	s.mu.Unlock()
	if dn != "" && hook != nil {
		hook(dn)
	}
}

// SetBeforeModify sets (or with nil, clears) the hook.
func (s *LDAPSpy) SetBeforeModify(fn func(dn string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeModify = fn
}

// Count is the number of requests of one operation, e.g. ldap.ApplicationModifyRequest.
func (s *LDAPSpy) Count(op int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ops[op]
}

// Writes is the number of requests that change the directory.
func (s *LDAPSpy) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ops[ldap.ApplicationModifyRequest] + s.ops[ldap.ApplicationAddRequest] +
		s.ops[ldap.ApplicationDelRequest] + s.ops[ldap.ApplicationModifyDNRequest]
}

// ModifiedDNs is how many modify requests each DN (lower case) received.
func (s *LDAPSpy) ModifiedDNs() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for _, dn := range s.modified {
		m[strings.ToLower(dn)]++
	}
	return m
}

// Reset forgets what was counted.
func (s *LDAPSpy) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops, s.modified = map[int]int{}, nil
}
