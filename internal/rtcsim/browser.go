package rtcsim

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
)

// ServeBrowser answers SQL Server Browser requests ([MC-SQLR]) on the UDP
// address addr (normally 127.0.0.1:1434), so that a client given
// host\INSTANCE finds the TCP port of tcpAddr. go-mssqldb always asks UDP
// 1434, so only one process on a machine can serve this.
func (s *Server) ServeBrowser(addr string, tcpAddr net.Addr) (io.Closer, error) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("rtcsim: browser on %s: %w", addr, err)
	}
	_, port, _ := net.SplitHostPort(tcpAddr.String())
	body := fmt.Sprintf("ServerName;%s;InstanceName;%s;IsClustered;No;Version;11.0.7001.0;tcp;%s;;",
		s.opts.ServerName, s.opts.Instance, port)
	reply := append([]byte{0x05, byte(len(body)), byte(len(body) >> 8)}, body...)
	go func() {
		buf := make([]byte, 1024)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if browserWants(buf[:n], s.opts.Instance) {
				pc.WriteTo(reply, from)
			}
		}
	}()
	return pc, nil
}

// browserWants reports whether a request asks for our instance:
// CLNT_BCAST_EX (0x02) and CLNT_UCAST_EX (0x03) ask for all instances,
// CLNT_UCAST_INST (0x04) names one; the DAC request (0x0F) is not served.
func browserWants(req []byte, instance string) bool {
	if len(req) == 0 {
		return false
	}
	switch req[0] {
	case 0x02, 0x03:
		return true
	case 0x04:
		name := req[1:]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		return strings.EqualFold(string(name), instance)
	}
	return false
}
