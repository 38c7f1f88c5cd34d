package run

import (
	"context"
	"io"
	"testing"

	"github.com/lyncmigrate/lyncmigrate/internal/result"
)

// The per-user overhead of the session: a 3-line log block on disk, the
// tally and a JSON line.
func BenchmarkUser(b *testing.B) {
	tr := startTest(b, context.Background(), func(o *Options) { o.Common.Stdout = io.Discard })
	rec := result.Record{User: "sip:someone@corp.example.com", Line: 42, Outcome: result.Processed}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			blk := tr.s.Log().Block()
			blk.Infof("Found user with PrimaryURI : %s, DisplayName : %s, Enabled : %s", rec.User, "Some One", "True")
			blk.Debugf("modify %s", rec.User)
			blk.Infof("%s: disabled", rec.User)
			blk.Commit()
			tr.s.Report(rec)
		}
	})
}
