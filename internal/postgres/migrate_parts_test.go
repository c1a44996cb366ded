package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/storyline-news/storyline/internal/postgres/pgtest"
)

// A database whose clustering state was saved whole (schema 2) keeps it
// as the part "stream" (which a stream loads and replaces by its parts).
func TestMigrationKeepsAWholeClusteringState(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	whole := []byte{0x1f, 0, 0xff, 'w', 'h', 'o', 'l', 'e'}
	qs := []string{`CREATE TABLE schema_version (version integer NOT NULL)`, `INSERT INTO schema_version VALUES (2)`}
	for _, q := range append(qs, migrations[:2]...) {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, $1, 5, now())`, whole); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	parts, v, _, err := s.Clustering(ctx, -1, 1)
	if err != nil || v != 5 || len(parts) != 1 || parts[0].Key != "stream" || string(parts[0].Data) != string(whole) {
		t.Errorf("after the migration: %+v at version %d, %v; want the whole state as the part stream at version 5", parts, v, err)
	}
}
