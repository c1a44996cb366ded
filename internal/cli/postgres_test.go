package cli

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/postgres/pgtest"
)

// TestPostgresStore runs the commands on a PostgreSQL --db: what they
// print is what they print on SQLite.
func TestPostgresStore(t *testing.T) {
	c := pgtest.Start(t)
	pg := c.NewDatabase(t)
	lite := filepath.Join(t.TempDir(), "news.db")
	for _, db := range []string{pg, lite} {
		for range 2 { // the second ingest is a no-op
			if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
				t.Fatalf("ingest --db %s: %d %s", db, code, stderr)
			}
		}
	}
	for _, args := range [][]string{
		{"analyze", "--json"},
		{"search", "bridge"},
		{"search", `"harbour bridge" cables`},
		{"stories"},
		{"people"},
		{"quotes"},
	} {
		name := strings.Join(args, " ")
		want, stderr, code := run(t, append(args, "--db", lite)...)
		if code != 0 {
			t.Fatalf("%s on SQLite: %d %s", name, code, stderr)
		}
		got, stderr, code := run(t, append(args, "--db", pg)...)
		if code != 0 {
			t.Fatalf("%s on PostgreSQL: %d %s", name, code, stderr)
		}
		if strings.HasPrefix(name, "search") {
			got, want = hitLines(got), hitLines(want) // snippets and ranks differ between the engines
		}
		if got != want {
			t.Errorf("%s: PostgreSQL printed\n%s\nSQLite printed\n%s", name, got, want)
		}
		if strings.TrimSpace(got) == "" {
			t.Errorf("%s printed nothing", name)
		}
	}
	_, stderr, code := run(t, "watch", "--once", "--db", pg, "https://example.org/feed.xml")
	if code != 1 || !strings.Contains(stderr, "SQLite") {
		t.Errorf("watch on PostgreSQL: exit %d, %q; want a clear refusal", code, stderr)
	}
	if _, stderr, code := run(t, "stories", "--db", "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2"); code != 1 || strings.Contains(stderr, "secret") {
		t.Errorf("an unreachable database: exit %d, %q; want an error without the password", code, stderr)
	}
}

// hitLines keeps the first line of each search hit (ID, date, outlet,
// title), sorted.
func hitLines(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasPrefix(l, " ") {
			keep = append(keep, l)
		}
	}
	slices.Sort(keep)
	return strings.Join(keep, "\n")
}
