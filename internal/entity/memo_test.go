package entity

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// A memo computes a value once while it remembers it, gives the same
// value to concurrent callers, and stays within its bound.
func TestMemo(t *testing.T) {
	var m memo[int]
	var calls atomic.Int64
	f := func(k string) int { calls.Add(1); return len(k) * 7 }
	if m.get("Zelenskyy", f) != 63 || m.get("Zelenskyy", f) != 63 || calls.Load() != 1 {
		t.Fatalf("two gets of one key: %d calls, want 1", calls.Load())
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20000 {
				k := fmt.Sprint("w", (i*7+g)%5000)
				if v := m.get(k, f); v != len(k)*7 {
					t.Errorf("get(%q) = %d", k, v)
					return
				}
			}
		})
	}
	wg.Wait()
	before := calls.Load()
	for i := range 5000 {
		m.get(fmt.Sprint("w", i), f)
	}
	if c := calls.Load() - before; c != 0 {
		t.Errorf("%d values computed again for keys remembered", c)
	}
	for i := range 200000 {
		m.get(fmt.Sprint("x", i), f)
	}
	n := 0
	for i := range m.shards {
		if l := len(m.shards[i].m); l > memoShardMax {
			t.Errorf("shard %d holds %d entries, more than %d", i, l, memoShardMax)
		}
		n += len(m.shards[i].m)
	}
	if n > memoShards*memoShardMax {
		t.Errorf("the memo holds %d entries", n)
	}
}
