// Package pgtest gives tests a real PostgreSQL: a throwaway cluster
// started for the test (initdb into a temporary directory, a free loopback
// port, stopped when the test ends), or the server named by
// STORYLINE_TEST_POSTGRES. Each NewDatabase is a fresh, empty database.
//
// Without PostgreSQL the tests skip, saying why, and fail when CI=true.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names a server to use instead of a throwaway cluster: a
// postgres:// URL of a role that may create databases.
const EnvURL = "STORYLINE_TEST_POSTGRES"

// Cluster is a PostgreSQL server for tests.
type Cluster struct {
	admin string // URL of a database to connect to for CREATE DATABASE
}

var dbCount atomic.Int64

// Start returns a PostgreSQL server for the test: the one STORYLINE_TEST_POSTGRES
// names, or a new cluster stopped when the test ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return &Cluster{admin: u}
	}
	bin, err := findBin()
	if err != nil {
		unavailable(t, err.Error())
	}
	c, err := startCluster(t, bin)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	return c
}

// unavailable skips the test, or fails it under CI=true.
func unavailable(t testing.TB, why string) {
	t.Helper()
	msg := "PostgreSQL is not available (" + why + "): install Debian's postgresql (initdb, pg_ctl) or set " + EnvURL + "=postgres://…"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// findBin finds the directory of initdb, pg_ctl and postgres: Debian's
// /usr/lib/postgresql/N/bin (the highest N), else the PATH.
func findBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", errors.New("no initdb in /usr/lib/postgresql/*/bin or on the PATH")
	}
	p, _ = filepath.EvalSymlinks(p)
	d := filepath.Dir(p)
	if !isExec(filepath.Join(d, "pg_ctl")) {
		return "", fmt.Errorf("no pg_ctl beside %s", p)
	}
	return d, nil
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// startCluster runs initdb and pg_ctl start. PostgreSQL refuses to run as
// root: then it runs as nobody, through runuser, in a directory nobody owns.
func startCluster(t testing.TB, bin string) (*Cluster, error) {
	base := t.TempDir()
	var wrap []string
	uid, gid := -1, -1
	if os.Getuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			return nil, fmt.Errorf("running as root and no user nobody to run PostgreSQL as: %w", err)
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return nil, errors.New("running as root and no runuser to run PostgreSQL as nobody")
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		// t.TempDir's parent is private to root: nobody must pass through it.
		if err := os.Chmod(filepath.Dir(base), 0o711); err != nil {
			return nil, err
		}
		if err := os.Chmod(base, 0o711); err != nil {
			return nil, err
		}
		base = filepath.Join(base, "pg")
		if err := os.Mkdir(base, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(base, uid, gid); err != nil {
			return nil, err
		}
		wrap = []string{runuser, "-u", "nobody", "--"}
	}
	data, sock, logf := filepath.Join(base, "data"), filepath.Join(base, "s"), filepath.Join(base, "log")
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		if wrap != nil {
			cmd = exec.Command(wrap[0], append(append(wrap[1:], filepath.Join(bin, name)), args...)...)
		}
		cmd.Dir = base
		cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "TZ=UTC")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, out)
		}
		return nil
	}
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(sock, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chown(sock, uid, gid); err != nil { // -1: unchanged
		return nil, err
	}
	var lastErr error
	for range 3 { // a free port may be taken between asking and listening
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		opts := strings.Join([]string{"-p", strconv.Itoa(port), "-k", sock, "-c", "listen_addresses=127.0.0.1",
			"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=60"}, " ")
		lastErr = run("pg_ctl", "start", "-w", "-t", "60", "-D", data, "-l", logf, "-o", opts)
		if lastErr == nil {
			t.Cleanup(func() {
				if err := run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", data); err != nil {
					t.Errorf("stopping PostgreSQL: %v", err)
				}
			})
			return &Cluster{admin: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}, nil
		}
		if log, err := os.ReadFile(logf); err == nil {
			lastErr = fmt.Errorf("%w\nserver log:\n%s", lastErr, log)
		}
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// NewDatabase creates an empty database for the test, dropped when the
// test ends, and returns its URL.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := fmt.Sprintf("storyline_test_%d_%d", os.Getpid(), dbCount.Add(1))
	conn, err := pgx.Connect(ctx, c.admin)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		t.Fatalf("PostgreSQL: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		conn, err := pgx.Connect(ctx, c.admin)
		if err != nil {
			t.Errorf("PostgreSQL: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("PostgreSQL: drop database: %v", err)
		}
	})
	u, err := url.Parse(c.admin)
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}
