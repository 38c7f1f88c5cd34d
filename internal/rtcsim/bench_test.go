package rtcsim

import (
	"context"
	"database/sql"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
)

// go test ./internal/rtcsim -run '^$' -bench . -benchtime 2s

func benchServer(b *testing.B, users, contacts int) (*Server, *sql.DB) {
	s, addr := startServer(b, "lync2013")
	if err := s.Populate(context.Background(), Population{Users: users, Contacts: contacts}); err != nil {
		b.Fatal(err)
	}
	return s, openClient(b, addr, "")
}

// One parameterised point query per iteration over one connection.
func BenchmarkParamQuery(b *testing.B) {
	_, db := benchServer(b, 1000, 5)
	db.SetMaxOpenConns(1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		var u string
		if err := db.QueryRow("SELECT UserAtHost FROM Resource WHERE ResourceId = @p1", 100000+i%1000).Scan(&u); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

// The same from 4 connections at once (the product's default --workers).
func BenchmarkParamQuery4Conns(b *testing.B) {
	_, db := benchServer(b, 1000, 5)
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			var u string
			if err := db.QueryRow("SELECT UserAtHost FROM Resource WHERE ResourceId = @p1", 100000+i%1000).Scan(&u); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

// An export-style read: one user's 50 contacts with their groups.
func BenchmarkContactListRead(b *testing.B) {
	_, db := benchServer(b, 1000, 50)
	db.SetMaxOpenConns(1)
	const q = `SELECT r.UserAtHost, c.DisplayName, g.DisplayName FROM Contact c
		JOIN Resource r ON r.ResourceId = c.BuddyId
		LEFT JOIN ContactGroupAssoc a ON a.OwnerId = c.OwnerId AND a.BuddyId = c.BuddyId
		LEFT JOIN ContactGroup g ON g.OwnerId = a.OwnerId AND g.GroupNumber = a.GroupNumber
		WHERE c.OwnerId = @p1`
	rows := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		rs, err := db.Query(q, 100000+i%1000)
		if err != nil {
			b.Fatal(err)
		}
		for rs.Next() {
			var u, d, g sql.NullString
			if err := rs.Scan(&u, &d, &g); err != nil {
				b.Fatal(err)
			}
			rows++
		}
		rs.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "contacts/s")
}

// A new TDS connection (PRELOGIN + LOGIN7) and a ping per iteration.
func BenchmarkConnect(b *testing.B) {
	_, addr := startServer(b, "lync2013")
	c, err := mssql.NewConnector(dsn(addr, ""))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		conn, err := c.Connect(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := conn.(interface{ Ping(context.Context) error }).Ping(ctx); err != nil {
			b.Fatal(err)
		}
		conn.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "connections/s")
}

// A deleteaccount-style user: transaction, procedure, one DELETE, commit.
func BenchmarkDeleteUserTransaction(b *testing.B) {
	_, db := benchServer(b, 20000, 10)
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		id := 100000 + i%20000
		if _, err := tx.ExecContext(ctx, "dbo.RtcpDeleteHomedResourceTransaction", id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM ResourceDirectory WHERE ResourceId = @p1", id); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "users/s")
}
