// Package corpus finds the shared corpora (../shared beside the checkout:
// the seed articles and the evaluation data) for tests, evaluations and
// benchmarks. Their text never enters the repository.
package corpus

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Env names the variable that overrides where ../shared is.
const Env = "STORYLINE_SHARED"

// ErrMissing is returned when the shared corpora are not there.
var ErrMissing = errors.New("shared corpora not found (expected ../shared beside the checkout, or $" + Env + ")")

// Dir returns the shared directory: $STORYLINE_SHARED, or the first
// "shared" directory found beside the working directory or one of its
// parents (tests run inside package directories).
func Dir() (string, error) {
	if d := os.Getenv(Env); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
		return "", fmt.Errorf("%s=%s: %w", Env, d, ErrMissing)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find shared corpora: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(filepath.Dir(d), "shared")
		if st, err := os.Stat(filepath.Join(cand, "seeds")); err == nil && st.IsDir() {
			return cand, nil
		}
		if filepath.Dir(d) == d {
			return "", ErrMissing
		}
	}
}

// Path returns a path inside the shared directory.
func Path(parts ...string) (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(append([]string{d}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s: %w", p, ErrMissing)
	}
	return p, nil
}

// Require returns a path inside the shared directory for a test. When it
// is missing the test is skipped with a message — or fails under CI=true,
// where every test must run.
func Require(t testing.TB, parts ...string) string {
	t.Helper()
	p, err := Path(parts...)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Skipf("skipped: %v", err)
	}
	return p
}

// Files returns the contents of up to max files under a shared directory,
// in path order (.gz files unzipped when unzip is set), each at most
// maxSize bytes (larger ones are left out), for
// seeding fuzz targets with real input beside the ones written for the
// repository. When the directory is missing it says so and returns none —
// or fails under CI=true.
func Files(t testing.TB, max int, maxSize int64, unzip bool, parts ...string) [][]byte {
	t.Helper()
	dir, err := Path(parts...)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v", err)
		}
		t.Logf("no real seeds: %v", err)
		return nil
	}
	var out [][]byte
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(out) >= max {
			return err
		}
		if info, err := d.Info(); err != nil || info.Size() > maxSize {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if unzip && strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if b, err = io.ReadAll(io.LimitReader(zr, maxSize+1)); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if int64(len(b)) > maxSize {
				return nil
			}
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatalf("read seeds under %s: %v", dir, err)
	}
	return out
}
