// Package queue is the work queue of distributed ingestion on NATS
// JetStream: `storyline ingest --nats` publishes raw documents to a
// work-queue stream, and `storyline worker` processes them in batches
// through one durable pull consumer that every worker shares.
//
// Delivery is at least once: a worker acknowledges a batch's messages only
// after its articles are committed, and JetStream redelivers a message
// that is not acknowledged within the consumer's AckWait (a worker killed
// mid-batch), at most MaxDeliver times. The store's writes are idempotent
// (articles keyed by content hash, one copy per source), so a redelivered
// document is stored once. Publishing is de-duplicated too: each message
// carries an ID that is a hash of its document's source and body, and
// JetStream drops a second message with the same ID within the stream's
// duplicate window.
//
// The package imports only the root package and the NATS client.
package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/storyline-news/storyline"
)

// Names of the stream, its subject and the workers' durable consumer.
const (
	Stream  = "STORYLINE_DOCS"
	Subject = "storyline.docs"
	Durable = "storyline-workers"
)

// Options tune the stream and the consumer. The zero value is ready to use.
type Options struct {
	// AckWait is how long a delivered message may go unacknowledged
	// before JetStream delivers it again (to any worker); 0 means one
	// minute. It must exceed the time a worker takes for one batch.
	AckWait time.Duration
	// MaxDeliver is how many times a message is delivered at most; 0
	// means 5. A message delivered that often without an ack stays in
	// the stream, no longer delivered (Stats.Undeliverable).
	MaxDeliver int
	// Duplicates is the window in which a second message with the same
	// ID is dropped; 0 means two minutes (JetStream's default).
	Duplicates time.Duration
	// Existing opens the stream only if it exists (ErrNoStream if not),
	// changing nothing on the server: for reading its state.
	Existing bool
}

// ErrNoStream is returned by Connect with Existing when nothing has
// created the stream yet.
var ErrNoStream = errors.New("no work queue yet: nothing was ever queued (stream " + Stream + " not found)")

func (o Options) withDefaults() Options {
	if o.AckWait <= 0 {
		o.AckWait = time.Minute
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.Duplicates <= 0 {
		o.Duplicates = 2 * time.Minute
	}
	return o
}

// Queue is a connection to the work queue.
type Queue struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	opt    Options
}

// Connect connects to the NATS server at url and creates the stream if it
// does not exist (or updates its settings).
func Connect(ctx context.Context, url string, opt Options) (*Queue, error) {
	opt = opt.withDefaults()
	nc, err := nats.Connect(url, nats.Name("storyline"), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("nats %s: %w", url, err)
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(256))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("nats %s: %w", url, err)
	}
	if opt.Existing {
		st, err := js.Stream(ctx, Stream)
		if err != nil {
			nc.Close()
			if errors.Is(err, jetstream.ErrStreamNotFound) {
				return nil, fmt.Errorf("nats %s: %w", url, ErrNoStream)
			}
			return nil, fmt.Errorf("nats %s: stream %s: %w", url, Stream, err)
		}
		return &Queue{nc: nc, js: js, stream: st, opt: opt}, nil
	}
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        Stream,
		Description: "storyline: raw documents waiting to be extracted and stored",
		Subjects:    []string{Subject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  opt.Duplicates,
		MaxMsgSize:  int32(min(nc.MaxPayload(), 1<<31-1)),
	})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("nats %s: stream %s: %w (is JetStream enabled on the server?)", url, Stream, err)
	}
	return &Queue{nc: nc, js: js, stream: st, opt: opt}, nil
}

// Close sends what is buffered (acks; a round trip makes sure the server
// has them) and closes the connection. Messages delivered and not
// acknowledged go to other workers after AckWait.
func (q *Queue) Close() {
	q.nc.FlushTimeout(5 * time.Second)
	q.nc.Close()
}

// MaxDocBytes is the largest encoded document the server takes (its
// max_payload, 1 MiB unless configured otherwise).
func (q *Queue) MaxDocBytes() int64 { return q.nc.MaxPayload() }

// wireDoc is a RawDoc on the wire: its own JSON names, so that the
// message format does not change when a Go field is renamed.
type wireDoc struct {
	Source            string `json:"source"`
	Kind              string `json:"kind"`
	Body              []byte `json:"body"`
	URL               string `json:"url,omitempty"`
	Title             string `json:"title,omitempty"`
	Outlet            string `json:"outlet,omitempty"`
	Author            string `json:"author,omitempty"`
	Published         string `json:"published,omitempty"`
	PublishedFallback string `json:"published_fallback,omitempty"`
	OutletFallback    string `json:"outlet_fallback,omitempty"`
	AuthorFallback    string `json:"author_fallback,omitempty"`
}

// Encode is a document as a message body (JSON; the body in base64).
func Encode(d storyline.RawDoc) ([]byte, error) {
	return json.Marshal(wireDoc(d))
}

// Decode reads a message body written by Encode.
func Decode(b []byte) (storyline.RawDoc, error) {
	var w wireDoc
	if err := json.Unmarshal(b, &w); err != nil {
		return storyline.RawDoc{}, fmt.Errorf("not a document: %w", err)
	}
	if w.Source == "" {
		return storyline.RawDoc{}, errors.New("not a document: no source")
	}
	return storyline.RawDoc(w), nil
}

// MsgID is the de-duplication ID of a document's message: a hash of its
// source and body, so the same document published twice (within the
// stream's duplicate window) is queued once.
func MsgID(d storyline.RawDoc) string {
	h := sha256.New()
	h.Write([]byte(d.Source))
	h.Write([]byte{0})
	h.Write(d.Body)
	return hex.EncodeToString(h.Sum(nil))
}

// ErrTooLarge is returned for a document whose message exceeds the
// server's maximum payload.
var ErrTooLarge = errors.New("document too large for the queue")

// Publisher publishes documents, several in flight at once.
type Publisher struct {
	q       *Queue
	pending []pending
	// Published counts the messages the stream took, Duplicates those it
	// dropped as already queued (same ID within the duplicate window).
	Published, Duplicates int
}

type pending struct {
	source string
	f      jetstream.PubAckFuture
}

// Publisher returns a publisher on the queue.
func (q *Queue) Publisher() *Publisher { return &Publisher{q: q} }

// Publish queues one document. Acknowledgements are collected by Flush
// (called every 256 documents, and by the caller at the end); an error
// names the document.
func (p *Publisher) Publish(ctx context.Context, d storyline.RawDoc) error {
	body, err := Encode(d)
	if err != nil {
		return fmt.Errorf("%s: %w", d.Source, err)
	}
	if max := p.q.MaxDocBytes(); int64(len(body)) > max {
		return fmt.Errorf("%s: %w: %d bytes encoded, the server takes %d", d.Source, ErrTooLarge, len(body), max)
	}
	f, err := p.q.js.PublishMsgAsync(&nats.Msg{Subject: Subject, Data: body}, jetstream.WithMsgID(MsgID(d)))
	if err != nil {
		return fmt.Errorf("%s: publish: %w", d.Source, err)
	}
	p.pending = append(p.pending, pending{d.Source, f})
	if len(p.pending) >= 256 {
		return p.Flush(ctx)
	}
	return nil
}

// Flush waits for the acknowledgement of every document published since
// the last Flush, and returns the errors of those the stream did not take.
func (p *Publisher) Flush(ctx context.Context) error {
	var errs []error
	for _, pd := range p.pending {
		select {
		case ack := <-pd.f.Ok():
			if ack.Duplicate {
				p.Duplicates++
			} else {
				p.Published++
			}
		case err := <-pd.f.Err():
			errs = append(errs, fmt.Errorf("%s: publish: %w", pd.source, err))
		case <-ctx.Done():
			p.pending = nil
			return ctx.Err()
		}
	}
	p.pending = p.pending[:0]
	return errors.Join(errs...)
}

// Consumer reads the queue as one of the workers.
type Consumer struct {
	q *Queue
	c jetstream.Consumer
}

// Consumer creates (or updates) the workers' durable pull consumer, with
// explicit acks, and returns it.
func (q *Queue) Consumer(ctx context.Context) (*Consumer, error) {
	c, err := q.js.CreateOrUpdateConsumer(ctx, Stream, jetstream.ConsumerConfig{
		Durable:       Durable,
		Description:   "storyline workers",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.opt.AckWait,
		MaxDeliver:    q.opt.MaxDeliver,
		MaxAckPending: 10000,
	})
	if err != nil {
		return nil, fmt.Errorf("nats: consumer %s: %w", Durable, err)
	}
	return &Consumer{q: q, c: c}, nil
}

// Item is one delivered message: its document, or the error that kept it
// from being read (Err: a poison message, to acknowledge and count).
type Item struct {
	Doc storyline.RawDoc
	Err error
	// Delivered is how many times the message was delivered, this time
	// included (1 the first time).
	Delivered uint64
	msg       jetstream.Msg
}

// Ack acknowledges the message: it leaves the queue.
func (it *Item) Ack() error { return it.msg.Ack() }

// Nak asks for the message to be delivered again after delay.
func (it *Item) Nak(delay time.Duration) error { return it.msg.NakWithDelay(delay) }

// Fetch waits up to wait for up to max messages and returns them (none
// when the wait ran out). It returns early when ctx is cancelled.
func (c *Consumer) Fetch(ctx context.Context, max int, wait time.Duration) ([]*Item, error) {
	fctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	b, err := c.c.Fetch(max, jetstream.FetchContext(fctx))
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("nats: fetch: %w", err)
	}
	var out []*Item
	for m := range b.Messages() {
		it := &Item{msg: m}
		if md, err := m.Metadata(); err == nil {
			it.Delivered = md.NumDelivered
		}
		it.Doc, it.Err = Decode(m.Data())
		out = append(out, it)
	}
	if err := b.Error(); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return out, fmt.Errorf("nats: fetch: %w", err)
	}
	return out, nil
}

// Stats is the state of the queue.
type Stats struct {
	// Messages and Bytes are what the stream holds: documents not
	// acknowledged yet, in flight or waiting.
	Messages, Bytes uint64
	// Pending are the messages no worker has been given yet; AckPending
	// those given to a worker and not acknowledged yet (in flight);
	// Redelivered those among them delivered more than once; Waiting the
	// workers' pull requests waiting for messages.
	Pending                          uint64
	AckPending, Redelivered, Waiting int
	// Undeliverable are messages delivered MaxDeliver times without an
	// ack: they stay in the stream and are no longer delivered.
	Undeliverable uint64
	// Consumer tells whether the workers' consumer exists yet.
	Consumer bool
}

// Stats reads the stream's and the consumer's state from the server.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	si, err := q.stream.Info(ctx)
	if err != nil {
		return s, fmt.Errorf("nats: stream %s: %w", Stream, err)
	}
	s.Messages, s.Bytes = si.State.Msgs, si.State.Bytes
	c, err := q.stream.Consumer(ctx, Durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		s.Pending = s.Messages
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("nats: consumer %s: %w", Durable, err)
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return s, fmt.Errorf("nats: consumer %s: %w", Durable, err)
	}
	s.Consumer = true
	s.Pending, s.AckPending, s.Redelivered, s.Waiting = ci.NumPending, ci.NumAckPending, ci.NumRedelivered, ci.NumWaiting
	if live := ci.NumPending + uint64(ci.NumAckPending); s.Messages > live {
		s.Undeliverable = s.Messages - live
	}
	return s, nil
}
