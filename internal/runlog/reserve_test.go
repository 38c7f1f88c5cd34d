package runlog

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lyncmigrate/lyncmigrate/internal/ostest"
)

func TestReserve(t *testing.T) {
	at := time.Date(2024, 3, 5, 14, 7, 9, 0, cet)
	specs := func(dir string) []FileSpec {
		return []FileSpec{
			{Dir: dir, Prefix: "DisableAccountLog", Ext: ".txt"},
			{Dir: dir, Prefix: "DisableAccountBackup", Ext: ".ldif"},
		}
	}
	tests := []struct {
		name     string
		existing []string // files present before the run
		want     []string
	}{
		{"free", nil, []string{"DisableAccountLog20240305_140709.txt", "DisableAccountBackup20240305_140709.ldif"}},
		{"log exists", []string{"DisableAccountLog20240305_140709.txt"},
			[]string{"DisableAccountLog20240305_140709_2.txt", "DisableAccountBackup20240305_140709_2.ldif"}},
		{"only the backup exists: the whole set moves", []string{"DisableAccountBackup20240305_140709.ldif"},
			[]string{"DisableAccountLog20240305_140709_2.txt", "DisableAccountBackup20240305_140709_2.ldif"}},
		{"_2 taken too", []string{"DisableAccountLog20240305_140709.txt", "DisableAccountBackup20240305_140709_2.ldif"},
			[]string{"DisableAccountLog20240305_140709_3.txt", "DisableAccountBackup20240305_140709_3.ldif"}},
		{"a folder with the name counts", []string{"DisableAccountLog20240305_140709.txt/"},
			[]string{"DisableAccountLog20240305_140709_2.txt", "DisableAccountBackup20240305_140709_2.ldif"}},
		{"other stamps do not matter", []string{"DisableAccountLog20240305_140708.txt"},
			[]string{"DisableAccountLog20240305_140709.txt", "DisableAccountBackup20240305_140709.ldif"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, e := range tt.existing {
				p := filepath.Join(dir, e)
				var err error
				if e[len(e)-1] == '/' {
					err = os.Mkdir(p, 0o700)
				} else {
					err = os.WriteFile(p, []byte("old"), 0o600)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got, err := Reserve(at, specs(dir))
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				if filepath.Dir(got[i]) != dir {
					t.Errorf("path %s not in %s", got[i], dir)
				}
				got[i] = filepath.Base(got[i])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for _, name := range got {
				fi, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Fatalf("reserved file not created: %v", err)
				}
				if fi.Size() != 0 {
					t.Errorf("%s: size %d, want an empty new file", name, fi.Size())
				}
				ostest.OwnerOnly(t, filepath.Join(dir, name))
			}
			for _, e := range tt.existing {
				if b, err := os.ReadFile(filepath.Join(dir, e)); err == nil && string(b) != "old" {
					t.Errorf("%s was overwritten", e)
				}
			}
		})
	}
}

// Two runs reserving in the same second get different suffixes.
func TestReserveTwiceSameSecond(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	spec := []FileSpec{{Dir: dir, Prefix: "DeleteAccountLog", Ext: ".txt"}}
	var names []string
	for range 3 {
		p, err := Reserve(at, spec)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(p[0]))
	}
	want := []string{"DeleteAccountLog20241231_235959.txt", "DeleteAccountLog20241231_235959_2.txt", "DeleteAccountLog20241231_235959_3.txt"}
	if !slices.Equal(names, want) {
		t.Errorf("got %v, want %v", names, want)
	}
}

// A name taken between the existence check and the exclusive create (a
// racing run) gives up the whole attempt and removes what it created.
func TestCreateAllRace(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(b, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ok, err := createAll([]string{a, b})
	if err != nil || ok {
		t.Fatalf("createAll = %v, %v; want false, nil", ok, err)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Errorf("a left behind: %v", err)
	}
}

func TestReserveErrors(t *testing.T) {
	at := time.Date(2024, 3, 5, 14, 7, 9, 0, cet)
	if _, err := Reserve(at, nil); err == nil {
		t.Error("no specs: want an error")
	}
	missing := filepath.Join(t.TempDir(), "nope")
	if _, err := Reserve(at, []FileSpec{{Dir: missing, Prefix: "X", Ext: ".txt"}}); err == nil {
		t.Error("missing folder: want an error")
	}
}
