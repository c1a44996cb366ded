// Package cli is storyline's command line: cobra commands that open the
// store, wire the pipeline and print results. It holds no analysis logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/postgres"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// ErrFailed marks a run that finished but in which some inputs failed: the
// process exits with status 1 after reporting them.
var ErrFailed = errors.New("some inputs failed")

// app holds what every command shares.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	db             string
	quiet          bool
	verbose        bool
	log            *slog.Logger
}

// Execute runs the storyline command line with the process's arguments and
// returns the exit status.
func Execute() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

// Run runs the command line with the given arguments and streams; it is
// Execute without the process around it, for tests.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		if !errors.Is(err, ErrFailed) {
			fmt.Fprintln(stderr, "storyline:", err)
		}
		return 1
	}
	return 0
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "storyline",
		Short: "News story intelligence: clean articles, people, who said what, stories, claims",
		Long: `storyline turns raw news articles from many outlets into clean articles,
people and organisations, who said what, stories and disagreements.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, args []string) {
			level := slog.LevelInfo
			if a.quiet {
				level = slog.LevelError
			}
			if a.verbose {
				level = slog.LevelDebug
			}
			a.log = slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level}))
		},
	}
	root.PersistentFlags().StringVar(&a.db, "db", "", "database: a SQLite file or a postgres:// URL; default: none for analyze, storyline.db otherwise")
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "print only errors and results")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "print debug logs")
	eval := a.evalCmd()
	eval.AddCommand(a.evalEntitiesCmd(), a.evalExtractCmd(), a.evalQuotesCmd(), a.evalDupsCmd(), a.evalClustersCmd(), a.evalDisagreementsCmd())
	root.AddCommand(a.analyzeCmd(), a.ingestCmd(), a.searchCmd(), a.peopleCmd(), a.personCmd(), a.quotesCmd(), a.claimsCmd(), a.disagreementsCmd(), a.storiesCmd(), a.storyCmd(), eval, a.benchCmd())
	root.AddCommand(a.watchCmd(), a.serveCmd(), a.workerCmd(), a.statusCmd())
	return root
}

// openStore opens the store named by --db, or def when --db is empty: a
// PostgreSQL database for a postgres:// or postgresql:// URL, else a SQLite
// file.
func (a *app) openStore(ctx context.Context, def string) (storyline.Store, error) {
	path := a.db
	if path == "" {
		path = def
	}
	if postgres.IsURL(path) {
		s, err := postgres.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// isTerminal tells whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
