package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/fetch"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
	"github.com/storyline-news/storyline/internal/watch"
)

func (a *app) watchCmd() *cobra.Command {
	var feedsFile, metricsAddr string
	var every time.Duration
	var once, allowPrivate bool
	cmd := &cobra.Command{
		Use:   "watch [FEED_URL...]",
		Short: "Poll feeds and store their new articles until stopped (SIGTERM, Ctrl-C)",
		Long: `Poll the feeds given as URLs and in --feeds (a list of URLs, one a line, or
OPML) every --every, fetch each new item's page, and store its article. The
feeds and their items are kept in the store: a restarted watch resumes where
it stopped, items queued and not stored are processed first, and nothing is
stored twice. A feed that fails is polled again after a wait that doubles
with each failure (up to a day). SIGTERM or Ctrl-C stops it after the item
in hand. --metrics serves Prometheus metrics at http://ADDR/metrics.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			feeds := append([]string{}, args...)
			if feedsFile != "" {
				body, err := os.ReadFile(feedsFile)
				if err != nil {
					return fmt.Errorf("watch: %w", err)
				}
				listed, err := ingest.ListedURLs(body)
				if err != nil {
					return fmt.Errorf("watch: %s: %w", feedsFile, err)
				}
				feeds = append(feeds, listed...)
			}
			s, err := a.openStore(ctx, "storyline.db")
			if err != nil {
				return err
			}
			defer s.Close()
			store, ok := s.(*sqlite.Store)
			if !ok {
				return errors.New("watch: --db must be a SQLite file: watch keeps its feeds and queue in SQLite, and has none in PostgreSQL yet")
			}
			d := watch.New(store, fetch.New(fetch.Options{AllowPrivate: allowPrivate}), watch.Options{Every: every, Once: once, Log: a.log})
			if metricsAddr != "" {
				stop, err := serveMetrics(ctx, metricsAddr, d)
				if err != nil {
					return err
				}
				defer stop()
			}
			a.log.Info("watching", "feeds", len(feeds), "every", every)
			return d.Run(ctx, feeds)
		},
	}
	cmd.Flags().StringVar(&feedsFile, "feeds", "", "file listing feeds: URLs one a line, or OPML")
	cmd.Flags().DurationVar(&every, "every", 10*time.Minute, "time between two polls of a feed")
	cmd.Flags().BoolVar(&once, "once", false, "poll the feeds that are due, store their new items, and exit")
	cmd.Flags().StringVar(&metricsAddr, "metrics", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9108)")
	cmd.Flags().BoolVar(&allowPrivate, "allow-private", false, "let fetches reach loopback, private and link-local addresses (tests, intranets)")
	return cmd
}

// serveMetrics serves /metrics until stop is called.
func serveMetrics(ctx context.Context, addr string, d *watch.Daemon) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("watch: metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		if err := d.WriteMetrics(r.Context(), w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}
