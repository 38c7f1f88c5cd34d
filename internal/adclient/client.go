package adclient

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// Logger receives the client's warnings (an unverified certificate, a
// redial) and debug traces. *runlog.Logger satisfies it.
type Logger interface {
	Warnf(format string, args ...any)
	Debugf(format string, args ...any)
}

type nopLogger struct{}

func (nopLogger) Warnf(string, ...any)  {}
func (nopLogger) Debugf(string, ...any) {}

// Timeouts. AD answers a search or modify in milliseconds; a minute means the
// server is gone.
const (
	dialTimeout    = 30 * time.Second
	requestTimeout = 2 * time.Minute
)

// Client is a bound connection pool to one domain controller. It is safe for
// concurrent use: requests are spread over Config.Conns connections, and
// go-ldap multiplexes concurrent requests on each.
type Client struct {
	cfg      Config
	ep       endpoint
	tls      *tls.Config
	log      Logger
	password string // held for rebinding after a dropped connection; never logged
	base     string

	mu    sync.Mutex // guards conns and lost during a redial
	conns []*ldap.Conn
	lost  bool
	next  atomic.Uint64
}

// Connect dials and binds per SPEC 3.7, then reads the base DN from the
// rootDSE unless Config.Base is set. Every error is fatal for a run (exit 3)
// except those of Config.Validate, which the caller should check first.
func Connect(ctx context.Context, cfg Config, log Logger) (*Client, error) {
	if log == nil {
		log = nopLogger{}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.auth() == AuthSSPI && !sspiAvailable {
		return nil, ErrSSPIOnlyWindows
	}
	ep, _ := parseServer(cfg.Server, cfg.StartTLS)
	c := &Client{cfg: cfg, ep: ep, log: log}
	if ep.TLS() {
		tc, err := tlsConfig(ep, cfg)
		if err != nil {
			return nil, err
		}
		c.tls = tc
		if cfg.InsecureSkipVerify {
			log.Warnf("!!! --ldap-insecure-skip-verify: the certificate of %s is NOT verified; anyone on the network path "+
				"can read the bind credentials and change what this run writes. Use --ldap-ca-file instead. !!!", ep.URL())
		}
	} else {
		log.Warnf("plain LDAP to %s: the bind and every change travel unencrypted (asked for with ldap://)", ep.URL())
	}
	if err := c.loadPassword(); err != nil {
		return nil, err
	}
	n := max(cfg.Conns, 1)
	for range n {
		conn, err := c.open(ctx)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.conns = append(c.conns, conn)
	}
	c.base = cfg.Base
	if c.base == "" {
		base, err := c.defaultNamingContext(ctx)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.base = base
	}
	log.Debugf("Connected to %s as %s, base %s, %d connection(s)", ep.URL(), cfg.Identity(), c.base, n)
	return c, nil
}

// Base is the DN searches start from.
func (c *Client) Base() string { return c.base }

// URL is the server as dialled, for messages.
func (c *Client) URL() string { return c.ep.URL() }

// Close unbinds every connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
	return nil
}

func (c *Client) loadPassword() error {
	if c.cfg.PasswordFunc == nil || !c.cfg.NeedsPassword() {
		return nil
	}
	p, err := c.cfg.PasswordFunc()
	if err != nil {
		return fmt.Errorf("LDAP password for %s: %w", c.cfg.BindDN, err)
	}
	c.password = p
	return nil
}

// open dials one connection and binds it.
func (c *Client) open(ctx context.Context) (*ldap.Conn, error) {
	d := net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", c.ep.Addr())
	if err != nil {
		return nil, connectError(c.ep, err)
	}
	var nc net.Conn = raw
	if c.ep.Scheme == "ldaps" {
		tc := tls.Client(raw, c.tls)
		hctx, cancel := context.WithTimeout(ctx, dialTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			raw.Close()
			return nil, connectError(c.ep, err)
		}
		nc = tc
	}
	conn := ldap.NewConn(nc, c.ep.Scheme == "ldaps")
	conn.Start()
	conn.SetTimeout(requestTimeout)
	if c.ep.StartTLS {
		if err := conn.StartTLS(c.tls); err != nil {
			conn.Close()
			return nil, connectError(c.ep, fmt.Errorf("StartTLS: %w", err))
		}
	}
	if err := c.bind(conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("bind to %s as %s: %w", c.ep.URL(), c.cfg.Identity(), err)
	}
	return conn, nil
}

// pick spreads requests over the pool.
func (c *Client) pick() (int, *ldap.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost {
		return 0, nil, ErrServerLost
	}
	if len(c.conns) == 0 {
		return 0, nil, fmt.Errorf("%s: client closed", c.ep.URL())
	}
	i := int(c.next.Add(1) % uint64(len(c.conns)))
	return i, c.conns[i], nil
}

// do runs fn on a connection; when the connection has dropped (AD closes idle
// ones after 15 minutes) it redials and rebinds once and runs fn again.
// fn must be safe to repeat: every change this package sends is a replace.
func (c *Client) do(ctx context.Context, fn func(*ldap.Conn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	i, conn, err := c.pick()
	if err != nil {
		return err
	}
	err = fn(conn)
	if err == nil || !isNetwork(err) || ctx.Err() != nil {
		return err
	}
	c.log.Warnf("connection to %s dropped (%v); reconnecting once", c.ep.URL(), err)
	fresh, rerr := c.redial(ctx, i, conn)
	if rerr != nil {
		return fmt.Errorf("%w: %v; reconnect: %v", ErrServerLost, err, rerr)
	}
	return fn(fresh)
}

// redial replaces conns[i] unless another goroutine already did.
func (c *Client) redial(ctx context.Context, i int, broken *ldap.Conn) (*ldap.Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lost {
		return nil, ErrServerLost
	}
	if i < len(c.conns) && c.conns[i] != broken {
		return c.conns[i], nil
	}
	fresh, err := c.open(ctx)
	if err != nil {
		c.lost = true
		return nil, err
	}
	broken.Close()
	if i < len(c.conns) {
		c.conns[i] = fresh
	}
	return fresh, nil
}
