package rtcclient

import (
	"context"
	"database/sql"
	"fmt"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
)

// Logger is where the client writes Cisco's connection and detection lines;
// *runlog.Logger and *runlog.Block both fit.
type Logger interface {
	Warnf(format string, args ...any)
	Infof(format string, args ...any)
	Debugf(format string, args ...any)
}

// DB is one open rtc database.
type DB struct {
	SQL      *sql.DB
	Target   Target
	Server   string // Target.String(): how logs and records name the server
	Database string
	Version  rtcschema.Version // set by Detect
}

// Open connects to one server and checks the connection. The password is
// asked for (PasswordFunc) only here and never logged; the log gets the
// connection string without it.
func Open(ctx context.Context, cfg Config, server string, log Logger) (*DB, error) {
	cfg = cfg.WithDefaults()
	t, err := ParseServer(server)
	if err != nil {
		return nil, err
	}
	password := ""
	if cfg.PasswordFunc != nil && cfg.NeedsPassword() {
		if password, err = cfg.PasswordFunc(); err != nil {
			return nil, fmt.Errorf("SQL password: %w", err)
		}
	}
	dsn, logged, err := cfg.ConnString(t, password)
	if err != nil {
		return nil, err
	}
	log.Infof("Attempting to Open connection with String : %s", logged)
	connector, err := mssql.NewConnector(dsn)
	if err != nil {
		// the driver's parse errors never carry the password
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	db := sql.OpenDB(connector)
	if cfg.Conns > 0 {
		db.SetMaxOpenConns(cfg.Conns)
		db.SetMaxIdleConns(cfg.Conns)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", t, err)
	}
	log.Infof("Connection Opened Ok")
	return &DB{SQL: db, Target: t, Server: t.String(), Database: cfg.Database}, nil
}

// Close closes the connection pool.
func (d *DB) Close() error { return d.SQL.Close() }
