package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// errShutDown is returned by an analysis asked for after Shutdown.
var errShutDown = errors.New("server: shut down")

// background tracks the server's work that outlives a request (a newer
// analysis built in the background, the details of the largest stories
// made ahead, the comparisons left for after an update) and every
// analysis build, so that Shutdown can cancel their store calls, start no
// more, and wait for them to end before the store is closed. A nil
// background tracks nothing (tests that make a bare cache).
type background struct {
	ctx    context.Context // cancelled by stop
	cancel context.CancelFunc
	mu     sync.Mutex // guards stopped and wg.Add
	// stopped is set by stop: no more work starts
	stopped bool
	wg      sync.WaitGroup
}

func newBackground() *background {
	ctx, cancel := context.WithCancel(context.Background())
	return &background{ctx: ctx, cancel: cancel}
}

// enter counts one more piece of work under way, which must call leave
// when it ends; false, and nothing counted, once stopped.
func (b *background) enter() bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return false
	}
	b.wg.Add(1)
	return true
}

// leave ends a piece of work enter counted.
func (b *background) leave() {
	if b != nil {
		b.wg.Done()
	}
}

// start runs f in a goroutine of its own with a context that stop
// cancels; false, and f not run, once stopped.
func (b *background) start(f func(ctx context.Context)) bool {
	if !b.enter() {
		return false
	}
	ctx := context.Background()
	if b != nil {
		ctx = b.ctx
	}
	go func() {
		defer b.leave()
		f(ctx)
	}()
	return true
}

// detach returns ctx without its cancellation (an analysis build goes on
// when the client that asked for it goes away: the next request would
// only start it again) but cancelled by stop, and the function that
// releases it.
func (b *background) detach(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if b == nil {
		return ctx, cancel
	}
	unhook := context.AfterFunc(b.ctx, cancel)
	return ctx, func() {
		unhook()
		cancel()
	}
}

// stop starts no more work, cancels the context of the work under way
// and waits for it to end, or for ctx to be done: then it returns an
// error wrapping ctx's.
func (b *background) stop(ctx context.Context) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	b.stopped = true
	b.mu.Unlock()
	b.cancel()
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: shutdown: background work still running: %w", ctx.Err())
	}
}
