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

	"github.com/storyline-news/storyline/internal/server"
)

func (a *app) serveCmd() *cobra.Command {
	var addr, token string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Web UI and JSON API over the store: stories, timelines, who said what, articles, search",
		Long: `Serve the stored articles for reading in a browser and as JSON:

  /                  stories, largest first, with counts; filters: ?q= (words in
                     their articles), ?from= ?to= (YYYY-MM-DD), ?outlet=, ?person=
                     (an entity ID or a name)
  /stories/{id}      one story: timeline, events, who said what, disagreements
  /articles/{id}     one article's clean text, names and statements marked,
                     with the lines removed as boilerplate
  /people/{id}       a person, organisation or place: name variants, roles
                     over time, statements in date order, stories
  /search?q=         full-text search
  /api/stories, /api/stories/{id}, /api/articles/{id}, /api/entities,
  /api/entities/{id}, /api/quotes, /api/search?q=   the same as JSON,
                     described by the OpenAPI document /api/openapi.json
  /metrics           Prometheus metrics: requests and latency by route, articles
  /healthz

It is read-only unless a token is given (--token, or STORYLINE_TOKEN in the
environment): then POST /api/articles with "Authorization: Bearer TOKEN"
ingests a JSON article object (or an array of them) or an HTML page, as
storyline ingest does; without the token it answers 401, and without a
configured token 403. It listens on loopback by default, and stops cleanly
on SIGINT or SIGTERM. The analysis is computed once and again only when the
store changes (ingest into the same --db while it runs).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, err := a.openStore(ctx, "storyline.db")
			if err != nil {
				return err
			}
			defer store.Close()
			if token == "" {
				token = os.Getenv("STORYLINE_TOKEN")
			}
			if token != "" && len(token) < 16 {
				return errors.New("serve: the token is shorter than 16 characters; use a long random one (openssl rand -hex 24)")
			}
			srv, err := server.New(store, server.Options{Log: a.log, Token: token})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
			hs := &http.Server{
				Handler:           srv,
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       30 * time.Second,
				WriteTimeout:      5 * time.Minute, // the first request after a change waits for the analysis
				IdleTimeout:       2 * time.Minute,
				MaxHeaderBytes:    64 << 10,
				BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
			}
			a.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "ingest", token != "")
			go func() {
				start := time.Now()
				if err := srv.Warm(ctx); err != nil {
					a.log.Error("analysing the store", "err", err)
					return
				}
				a.log.Info("analysis ready", "took", time.Since(start).Round(time.Millisecond))
			}()
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return fmt.Errorf("serve: %w", err)
			case <-ctx.Done():
			}
			a.log.Info("shutting down")
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return fmt.Errorf("serve: shutdown: %w", err)
			}
			if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("serve: %w", err)
			}
			// the background analysis ends before the store closes
			if err := srv.Shutdown(sctx); err != nil {
				a.log.Warn("background analysis still running at exit", "err", err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&token, "token", "", "accept POST /api/articles with this bearer token (default $STORYLINE_TOKEN; none: read-only)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port); loopback by default")
	return cmd
}
