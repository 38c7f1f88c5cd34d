package deleteaccount

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcclient"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcschema"
	"github.com/lyncmigrate/lyncmigrate/internal/rtcsim"
	"github.com/lyncmigrate/lyncmigrate/internal/run"
)

// BenchmarkDelete measures users/s on an in-process rtcsim (SPEC 8): the
// product with and without its backup, beside the plain loop — the same
// lookups, plan statements, pool size and workers through database/sql and
// go-mssqldb, with no log, no backup, no counts. One iteration deletes
// LMBENCH_USERS users (default 2,000) with 50 contacts each from a fresh
// database. "backup-tmpfs" writes the backup to /dev/shm, where a sync is
// free: the difference to "backup" is the disk. It also reports the SQL round
// trips per user (rtcsim's request count). Run: go test ./deleteaccount -run '^$' -bench Delete -benchtime 1x
func BenchmarkDelete(b *testing.B) {
	users := 2000
	if n, err := strconv.Atoi(os.Getenv("LMBENCH_USERS")); err == nil && n > 0 {
		users = n
	}
	schema := "lync2013" // or a schema file: LMBENCH_SCHEMA
	if s := os.Getenv("LMBENCH_SCHEMA"); s != "" {
		schema = s
	}
	for _, workers := range []int{1, run.DefaultWorkers} {
		for _, mode := range []string{"plain", "nobackup", "backup-tmpfs", "backup"} {
			b.Run(fmt.Sprintf("%s/workers=%d", mode, workers), func(b *testing.B) {
				var trips int64 // SQL round trips (rtcsim's request count) in the timed part
				for range b.N {
					var err error
					b.StopTimer()
					env := startRTC(b, schema)
					env.Populate(b, rtcsim.Population{Users: users, Contacts: 50})
					uris := make([]string, users)
					for i := range uris {
						uris[i] = fmt.Sprintf("sip:user%d@bench.example.com", i)
					}
					file := usersFile(b, uris...)
					start := env.Server.Stats().Requests.Load()
					b.StartTimer()
					switch mode {
					case "plain":
						if err = plainDelete(env, uris, workers); err != nil {
							b.Fatal(err)
						}
					default:
						cfg := Config{SQL: sqlConfig(env), MaxUsers: users, noBackup: mode == "nobackup"}
						cfg.Common.File, cfg.Common.LogLevel = file, "info"
						dir := b.TempDir()
						if mode == "backup-tmpfs" {
							// the backup's sync costs nothing on tmpfs: what remains is reading and writing the rows
							if dir, err = os.MkdirTemp("/dev/shm", "lmbench"); err != nil {
								b.Skip("no /dev/shm")
							}
							defer os.RemoveAll(dir)
						}
						o := runJob(b, cfg, dir, workers)
						if o.code != result.ExitOK || o.summary.Processed != users {
							b.Fatalf("exit %d summary %+v", o.code, o.summary)
						}
					}
					b.StopTimer()
					trips += env.Server.Stats().Requests.Load() - start
					b.StartTimer()
				}
				b.ReportMetric(float64(users*b.N)/b.Elapsed().Seconds(), "users/s")
				b.ReportMetric(float64(trips)/float64(users*b.N), "roundtrips/user")
			})
		}
	}
}

// plainDelete is the plain loop: per user the lookup, then one transaction
// with the Lync 2013 plan's statements as the product sends them. The
// product sends, per chunk of 250 users, one lookup (IN) and, with a
// backup, one SELECT of all columns per touched table (IN: the backup
// read); per user the same transaction, which first counts the user's rows
// in every touched table in one round trip (the check that the tables hold
// what was backed up; without a backup it gives the per-table counts). A
// user the chunk's lookup did not find takes the per-user lookup.
func plainDelete(env rtcEnv, uris []string, workers int) error {
	cfg := sqlConfig(env)
	t, _ := rtcclient.ParseServer(env.Addr)
	dsn, _, err := cfg.ConnString(t, env.Password)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlserver", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(workers)
	db.SetMaxIdleConns(workers)
	schema := rtcschema.For(rtcschema.Lync2013)
	ctx := context.Background()
	var (
		mu    sync.Mutex
		first error
	)
	err = run.ForEach(ctx, uris, workers, func(ctx context.Context, uri string) {
		if err := plainOne(ctx, db, schema, uri[len("sip:"):]); err != nil {
			mu.Lock()
			if first == nil {
				first = fmt.Errorf("%s: %w", uri, err)
			}
			mu.Unlock()
		}
	})
	if err != nil {
		return err
	}
	return first
}

func plainOne(ctx context.Context, db *sql.DB, schema *rtcschema.Schema, uah string) error {
	var id int64
	if err := db.QueryRowContext(ctx, lookupSQL, uah).Scan(&id); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	for _, st := range schema.Plan {
		if st.Kind == rtcschema.StepProcedure {
			var status mssql.ReturnStatus
			if _, err := tx.ExecContext(ctx, st.Procedure, id, &status); err != nil {
				return err
			}
			if status != 0 {
				return fmt.Errorf("%s returned %d", st.Procedure, status)
			}
			continue
		}
		q := "DELETE FROM " + rtcclient.Ident(st.Delete.Table) + " WHERE " + rtcclient.Ident(st.Delete.Name) + " = @p1"
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}
