package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/storetest"
)

// TestContract runs the Store contract suite on a file (WAL, several
// connections) and on a private in-memory database (one connection).
func TestContract(t *testing.T) {
	t.Run("file", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storyline.Store {
			s, err := Open(context.Background(), filepath.Join(t.TempDir(), "contract.db"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("memory", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storyline.Store {
			s, err := Open(context.Background(), ":memory:")
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
}
