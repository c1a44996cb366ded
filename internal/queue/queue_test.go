package queue

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/queue/queuetest"
)

// Every field of RawDoc travels: a field added to RawDoc and forgotten in
// wireDoc fails to compile (the conversion) or fails here.
func TestEncodeKeepsEveryField(t *testing.T) {
	var d storyline.RawDoc
	v := reflect.ValueOf(&d).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("value %d «é»", i))
		case reflect.Slice:
			f.SetBytes([]byte{0, 1, 0xff, byte(i)})
		default:
			t.Fatalf("RawDoc.%s: kind %s not covered by this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	b, err := Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip:\n got %+v (%v)\nwant %+v", got, err, d)
	}
	for _, bad := range []string{"", "{", "[]", `{"kind":"text"}`, "\x00\xff"} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%q) succeeded", bad)
		}
	}
}

func TestMsgID(t *testing.T) {
	a := storyline.RawDoc{Source: "a.txt", Body: []byte("text")}
	b := a
	b.Title = "another title" // hints do not make another document
	if MsgID(a) != MsgID(b) {
		t.Error("same source and body, different IDs")
	}
	for _, c := range []storyline.RawDoc{{Source: "b.txt", Body: a.Body}, {Source: "a.txt", Body: []byte("text!")}, {Source: "a.tx", Body: []byte("ttext")}} {
		if MsgID(c) == MsgID(a) {
			t.Errorf("%+v has the ID of %+v", c, a)
		}
	}
}

func doc(i int) storyline.RawDoc {
	return storyline.RawDoc{Source: fmt.Sprintf("doc%03d.txt", i), Kind: storyline.KindText, Body: []byte(fmt.Sprintf("Document number %d.", i))}
}

// Publish, de-duplicate, fetch, ack and nak against a real JetStream.
func TestPublishFetchAck(t *testing.T) {
	ctx := context.Background()
	url := queuetest.Start(t)
	q, err := Connect(ctx, url, Options{AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	p := q.Publisher()
	for i := range 10 {
		if err := p.Publish(ctx, doc(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Publish(ctx, doc(3)); err != nil { // the same document again
		t.Fatal(err)
	}
	huge := doc(99)
	huge.Body = []byte(strings.Repeat("x", int(q.MaxDocBytes())))
	if err := p.Publish(ctx, huge); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "doc099.txt") {
		t.Errorf("a document over the server's max payload: %v, want ErrTooLarge naming it", err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if p.Published != 10 || p.Duplicates != 1 {
		t.Errorf("published %d, duplicates %d; want 10 and 1", p.Published, p.Duplicates)
	}
	// a message that is no document
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Publish(Subject, []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	nc.Flush()

	st, err := q.Stats(ctx)
	if err != nil || st.Messages != 11 || st.Consumer || st.Pending != 11 {
		t.Fatalf("stats before any worker: %+v, %v; want 11 messages pending, no consumer", st, err)
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.Fetch(ctx, 4, time.Second)
	if err != nil || len(items) != 4 {
		t.Fatalf("fetched %d, %v; want 4", len(items), err)
	}
	if items[0].Doc.Source != "doc000.txt" || string(items[0].Doc.Body) != "Document number 0." || items[0].Delivered != 1 {
		t.Errorf("first item %+v", items[0])
	}
	st, _ = q.Stats(ctx)
	if st.Messages != 11 || st.Pending != 7 || st.AckPending != 4 {
		t.Errorf("stats with 4 in flight: %+v", st)
	}
	for _, it := range items[:3] {
		if err := it.Ack(); err != nil {
			t.Fatal(err)
		}
	}
	if err := items[3].Nak(0); err != nil { // given back: delivered again
		t.Fatal(err)
	}
	var rest []*Item
	for len(rest) < 8 {
		more, err := c.Fetch(ctx, 20, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if len(more) == 0 {
			t.Fatalf("fetched %d of the 8 left", len(rest))
		}
		rest = append(rest, more...)
	}
	poison, again := 0, 0
	for _, it := range rest {
		if it.Err != nil {
			poison++
		}
		if it.Doc.Source == "doc003.txt" {
			again++
			if it.Delivered != 2 {
				t.Errorf("the nak'ed message: delivered %d times, want 2", it.Delivered)
			}
		}
		it.Ack()
	}
	if poison != 1 || again != 1 {
		t.Errorf("%d poison messages, doc003 %d times; want 1 and 1", poison, again)
	}
	time.Sleep(100 * time.Millisecond) // acks are asynchronous
	if st, err := q.Stats(ctx); err != nil || st.Messages != 0 || st.Pending != 0 || st.AckPending != 0 {
		t.Errorf("stats after every ack: %+v, %v; want an empty queue", st, err)
	}
}

// A message that is never acknowledged comes back after AckWait, at most
// MaxDeliver times; then it stays in the stream, undeliverable.
func TestRedeliveryAndMaxDeliver(t *testing.T) {
	ctx := context.Background()
	q, err := Connect(ctx, queuetest.Start(t), Options{AckWait: 300 * time.Millisecond, MaxDeliver: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	p := q.Publisher()
	if err := p.Publish(ctx, doc(1)); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := q.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var deliveries []uint64
	for range 3 {
		items, err := c.Fetch(ctx, 1, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			deliveries = append(deliveries, it.Delivered) // never acked
		}
	}
	if fmt.Sprint(deliveries) != "[1 2]" {
		t.Errorf("deliveries %v, want [1 2] (MaxDeliver 2)", deliveries)
	}
	if st, err := q.Stats(ctx); err != nil || st.Messages != 1 || st.Undeliverable != 1 || st.Pending != 0 || st.AckPending != 0 {
		t.Errorf("stats: %+v, %v; want the message kept, undeliverable", st, err)
	}
}
