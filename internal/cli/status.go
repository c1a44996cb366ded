package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/storyline-news/storyline/internal/postgres"
	"github.com/storyline-news/storyline/internal/queue"
)

// statusReport is what status prints, and its JSON.
type statusReport struct {
	Queue *queueStatus `json:"queue,omitempty"`
	Store *storeStatus `json:"store,omitempty"`
}

type queueStatus struct {
	Messages      uint64 `json:"messages"`
	Bytes         uint64 `json:"bytes"`
	Pending       uint64 `json:"pending"`
	InFlight      int    `json:"in_flight"`
	Redelivered   int    `json:"redelivered"`
	Undeliverable uint64 `json:"undeliverable"`
	WaitingPulls  int    `json:"waiting_pulls"`
	Workers       bool   `json:"workers_consumer"`
}

type storeStatus struct {
	Articles int `json:"articles"`
	Unplaced int `json:"unplaced"`
}

func (a *app) statusCmd() *cobra.Command {
	var natsURL string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status --nats URL [--db DSN]",
		Short: "Print the work queue's depth and the store's counts",
		Long: `Print the state of the JetStream work queue that ingest --nats fills and
workers empty (documents waiting, in flight, delivered more than once, and
delivered --max-deliver times without an ack), and with --db the articles
stored and those not placed in stories yet.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if natsURL == "" && a.db == "" {
				return errors.New("status: give --nats URL, --db DSN, or both")
			}
			var r statusReport
			if natsURL != "" {
				var st queue.Stats
				q, err := queue.Connect(ctx, natsURL, queue.Options{Existing: true})
				switch {
				case errors.Is(err, queue.ErrNoStream):
					// an empty queue
				case err != nil:
					return fmt.Errorf("status: %w", err)
				default:
					st, err = q.Stats(ctx)
					q.Close()
					if err != nil {
						return fmt.Errorf("status: %w", err)
					}
				}
				r.Queue = &queueStatus{Messages: st.Messages, Bytes: st.Bytes, Pending: st.Pending, InFlight: st.AckPending,
					Redelivered: st.Redelivered, Undeliverable: st.Undeliverable, WaitingPulls: st.Waiting, Workers: st.Consumer}
			}
			if a.db != "" {
				store, err := a.openStore(ctx, "")
				if err != nil {
					return err
				}
				defer store.Close()
				n, placed, err := store.Counts(ctx)
				if err != nil {
					return fmt.Errorf("status: %w", err)
				}
				r.Store = &storeStatus{Articles: n, Unplaced: n - placed}
			}
			if asJSON {
				return writeJSON(a.stdout, r)
			}
			w := a.stdout
			if q := r.Queue; q != nil {
				fmt.Fprintf(a.stdout, "queue %s (stream %s):\n", natsURL, queue.Stream)
				fmt.Fprintf(w, "  %10d  documents queued (%s)\n", q.Messages, bytesString(q.Bytes))
				fmt.Fprintf(w, "  %10d  pending: not given to a worker yet\n", q.Pending)
				fmt.Fprintf(w, "  %10d  in flight: given to a worker, not acknowledged\n", q.InFlight)
				fmt.Fprintf(w, "  %10d  redelivered: in flight again after a worker failed to ack\n", q.Redelivered)
				fmt.Fprintf(w, "  %10d  undeliverable: delivered --max-deliver times, no longer delivered\n", q.Undeliverable)
				fmt.Fprintf(w, "  %10d  workers waiting for documents\n", q.WaitingPulls)
			}
			if s := r.Store; s != nil {
				name := a.db
				if postgres.IsURL(name) {
					name = "PostgreSQL"
				}
				fmt.Fprintf(a.stdout, "store %s:\n", name)
				fmt.Fprintf(w, "  %10d  articles\n", s.Articles)
				fmt.Fprintf(w, "  %10d  unplaced: not in a story yet\n", s.Unplaced)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&natsURL, "nats", "", "NATS server URL of the work queue")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func bytesString(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
