package rtcsim

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// SplitStatements splits T-SQL text at the ';' that end statements
// (not those inside strings, identifiers or comments).
func SplitStatements(text string) ([]string, error) {
	toks, err := lex(text)
	if err != nil {
		return nil, err
	}
	var out []string
	start := 0
	for _, t := range toks {
		if t.op(";") {
			if s := strings.TrimSpace(text[start:t.pos]); s != "" {
				out = append(out, s)
			}
			start = t.pos + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		if ts, _ := lex(s); len(ts) > 0 { // only comments left
			out = append(out, s)
		}
	}
	return out, nil
}

// Seed runs the statements of a seed file — INSERT, UPDATE, DELETE and SET
// IDENTITY_INSERT of the subset, ';'-separated, checked as a client's would
// be — in one transaction; name is used in errors.
func (s *Server) Seed(ctx context.Context, name, text string) error {
	stmts, err := SplitStatements(text)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	defer tx.Rollback()
	identityInsert := ""
	for i, stmt := range stmts {
		tr, err := Translate(stmt, s.database)
		if err != nil {
			return fmt.Errorf("seed %s statement %d: %w", name, i+1, err)
		}
		if tr.Kind == stmtSetIdentityInsert {
			var e *Error
			if identityInsert, e = s.schema.setIdentityInsert(tr, identityInsert, s.database); e != nil {
				return fmt.Errorf("seed %s statement %d: %w", name, i+1, e)
			}
			continue
		}
		if tr.Kind == stmtSelect || len(tr.Params) > 0 {
			return fmt.Errorf("seed %s statement %d: only INSERT, UPDATE, DELETE and SET IDENTITY_INSERT without parameters", name, i+1)
		}
		if e := s.schema.checkWrite(tr, identityInsert); e != nil {
			return fmt.Errorf("seed %s statement %d: %w", name, i+1, e)
		}
		if _, err := tx.ExecContext(ctx, tr.SQL); err != nil {
			return fmt.Errorf("seed %s statement %d: %w", name, i+1, s.mapError(err, 0, tr.Kind.verb()))
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	return nil
}

// SeedFile runs the seed file at path.
func (s *Server) SeedFile(ctx context.Context, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return s.Seed(ctx, path, string(b))
}

// Population describes generated users for benchmarks: users
// user<N>@<Domain> with ResourceIds FirstID…, each with Contacts buddies
// (the next users, wrapping) spread over Groups groups, group 1 being '~'.
type Population struct {
	Users    int
	Contacts int
	Groups   int    // default 3
	Domain   string // default "bench.example.com"
	Prefix   string // user name prefix, default "user"
	FirstID  int    // first ResourceId, default 100000
}

// Populate inserts p in one SQLite transaction, fast enough for a
// benchmark's thousands of users, through the fixture writer: each value in
// its column's declared type, so every schema (the evidence one included)
// can be populated. ResourceDirectory.Enabled, where the schema has it, is 0.
func (s *Server) Populate(ctx context.Context, p Population) error {
	if p.Groups <= 0 {
		p.Groups = 3
	}
	if p.Domain == "" {
		p.Domain = "bench.example.com"
	}
	if p.Prefix == "" {
		p.Prefix = "user"
	}
	if p.FirstID == 0 {
		p.FirstID = 100000
	}
	if p.Contacts >= p.Users && p.Users > 0 {
		return fmt.Errorf("populate: %d contacts need more than %d users", p.Contacts, p.Users)
	}
	groups := make([]FixtureGroup, p.Groups)
	for g := range groups {
		groups[g] = FixtureGroup{Number: g + 1, Name: fmt.Sprintf("Group %d", g+1)}
	}
	groups[0].Name = "~"
	names := make([]*string, p.Users)
	for i := range names {
		names[i] = Text(fmt.Sprintf("User %d", i))
	}
	user := func(i int) FixtureUser {
		return FixtureUser{ResourceID: int64(p.FirstID + i), UserAtHost: fmt.Sprintf("%s%d@%s", p.Prefix, i, p.Domain), DisplayName: *names[i]}
	}
	err := s.withFixtureWriter(ctx, func(w *fixtureWriter) error {
		for i := 0; i < p.Users; i++ {
			if err := w.resource(user(i)); err != nil {
				return err
			}
		}
		contacts := make([]FixtureContact, p.Contacts)
		for i := 0; i < p.Users; i++ {
			u := user(i)
			u.Groups, u.Contacts = groups, contacts
			for c := 1; c <= p.Contacts; c++ {
				b := (i + c) % p.Users
				contacts[c-1] = FixtureContact{Buddy: int64(p.FirstID + b), DisplayName: names[b], Groups: []int{1 + c%p.Groups}}
			}
			if err := w.contacts(u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("populate: %w", err)
	}
	return nil
}
