package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/fetch"
	"github.com/storyline-news/storyline/internal/ingest"
)

// fetchFlags are the flags of commands that read sources which may be on
// the web: URLs, lists of URLs, OPML lists, the pages of feed items.
type fetchFlags struct {
	noFetch      bool
	allowPrivate bool
}

func (f *fetchFlags) add(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.noFetch, "no-fetch", false, "never go to the network: URLs fail, feed items are read from the feed's own content")
	cmd.Flags().BoolVar(&f.allowPrivate, "allow-private", false, "let fetches reach loopback, private and link-local addresses (tests, intranets)")
}

// apply gives the reader its fetcher, unless --no-fetch.
func (f *fetchFlags) apply(ctx context.Context, r *ingest.Reader) {
	r.Context = ctx
	if !f.noFetch {
		r.Fetch = fetch.New(fetch.Options{AllowPrivate: f.allowPrivate})
	}
}
