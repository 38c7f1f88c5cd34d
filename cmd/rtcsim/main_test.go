package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"
)

func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	code := make(chan int, 1)
	env := map[string]string{"RTCSIM_PASSWORD": "Demo-Passw0rd"}
	go func() {
		code <- run(ctx, []string{"--listen", "127.0.0.1:0", "--schema", "lync2010", "--db", filepath.Join(t.TempDir(), "rtc.sqlite"),
			"--seed", filepath.Join("..", "..", "testdata", "rtc", "sample.sql"), "--populate", "20", "--contacts", "5"},
			func(k string) string { return env[k] }, pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v; stderr: %s", err, stderr.String())
	}
	var addr string
	if _, err := fmt.Sscanf(line, "rtcsim listening on %s", &addr); err != nil {
		t.Fatalf("line %q: %v", line, err)
	}
	go io.Copy(io.Discard, pr)
	host, port, _ := strings.Cut(addr, ":")
	c, err := mssql.NewConnector(fmt.Sprintf("server=%s;port=%s;user id=sa;password=Demo-Passw0rd;database=rtc;encrypt=disable", host, port))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM Resource").Scan(&n); err != nil || n != 26 {
		t.Errorf("count %d, %v; want 6 seeded + 20 generated", n, err)
	}
	var id int
	if err := db.QueryRow("SELECT id FROM sysobjects WHERE name = 'HomedResource'").Scan(&id); err != nil {
		t.Errorf("lync2010 schema lacks HomedResource: %v", err)
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Errorf("exit %d; stderr %s", c, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop on cancel")
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--db", "x"}, "", "RTCSIM_PASSWORD"},
		{[]string{"--nope"}, "pw", "flag provided but not defined"},
		{[]string{"extra"}, "pw", "unexpected argument"},
	} {
		var stderr strings.Builder
		code := run(context.Background(), tc.args, func(string) string { return tc.env }, io.Discard, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr.String())
		}
	}
	var stderr strings.Builder
	code := run(context.Background(), []string{"--schema", "nosuch", "--db", filepath.Join(t.TempDir(), "x.sqlite")}, func(string) string { return "pw" }, io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "nosuch") {
		t.Errorf("unknown schema: exit %d, %q", code, stderr.String())
	}
}
