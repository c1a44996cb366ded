package postgres

import (
	"context"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/postgres/pgtest"
	"github.com/storyline-news/storyline/internal/storetest"
)

// TestContract runs the Store contract suite on a real PostgreSQL: a
// throwaway cluster, or STORYLINE_TEST_POSTGRES; a fresh database for each
// case.
func TestContract(t *testing.T) {
	c := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) storyline.Store {
		s, err := Open(context.Background(), c.NewDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
