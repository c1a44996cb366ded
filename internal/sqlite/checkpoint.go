package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often at most the store's checkpointer copies
// the WAL into the database file while it is written: one checkpoint
// then copies the pages of every commit made meanwhile, a page changed
// by several of them once.
const checkpointEvery = time.Second

// checkpointer copies the pages the WAL holds into the database file
// (a PASSIVE checkpoint, which waits for no reader and no writer) on a
// goroutine of its own, after commits, at most once per interval.
//
// SQLite checkpoints in the connection that commits, once the WAL holds
// wal_autocheckpoint pages: the commit returns only after the copy (a
// write call per page, and an fsync of the file). A process that saves
// articles and places them takes turns in the write lock (see
// pipeline's serialised store), so the copy held up the other saves: in
// a profile of a million articles ingested, checkpoints took 33 CPU-s
// inside the commits. Here the writers' own checkpoint is a safety net,
// at walLimitBytes, for when this one falls behind.
type checkpointer struct {
	db     *sql.DB
	every  time.Duration
	poke   chan struct{}
	ctx    context.Context // cancelled by close
	cancel context.CancelFunc
	done   chan struct{}
}

// startCheckpointer starts checkpointing db after commits (wrote), at
// most once per every.
func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, every: every, poke: make(chan struct{}, 1), ctx: ctx, cancel: cancel, done: make(chan struct{})}
	go c.run()
	return c
}

// wrote tells the checkpointer that a transaction committed. It never
// waits. A nil checkpointer (a store in memory) does nothing.
func (c *checkpointer) wrote() {
	if c == nil {
		return
	}
	select {
	case c.poke <- struct{}{}:
	default: // a checkpoint is due already
	}
}

// close stops the checkpointer, interrupting a checkpoint under way (it
// stops between pages), and waits for it to end. Closing it again does
// nothing.
func (c *checkpointer) close() {
	if c == nil {
		return
	}
	c.cancel()
	<-c.done
}

func (c *checkpointer) run() {
	defer close(c.done)
	var last time.Time
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.poke:
		}
		if wait := time.Until(last.Add(c.every)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-c.ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		// An error leaves the pages in the WAL, where readers find them
		// and the writers' own checkpoint copies them at walLimitBytes:
		// nothing is lost, and the next commit tries again.
		c.db.ExecContext(c.ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		last = time.Now()
	}
}
