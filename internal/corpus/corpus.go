// Package corpus finds the shared corpora (../shared beside the checkout:
// the seed articles and the evaluation data) for tests, evaluations and
// benchmarks. Their text never enters the repository.
package corpus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
