package entity

import (
	"hash/maphash"
	"strings"
	"sync"
)

// memo remembers the values of a pure function of a string (a word's
// folds, a name's keys, a gazetteer lookup), which detection and merging
// ask for again and again: names repeat across the sentences and articles
// of a batch. It is safe for concurrent use and bounded: a shard that
// grows past memoShardMax entries is emptied, so a memo holds at most
// 64×1,024 words or names (a few MiB) however long the process runs.
// Values are shared between callers and must never be modified.
type memo[V any] struct {
	shards [memoShards]memoShard[V]
}

type memoShard[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

const (
	memoShards   = 64
	memoShardMax = 1024
)

var memoSeed = maphash.MakeSeed()

// get returns f(k), computed once while it is remembered.
func (c *memo[V]) get(k string, f func(string) V) V {
	s := &c.shards[maphash.String(memoSeed, k)%memoShards]
	s.mu.RLock()
	v, ok := s.m[k]
	s.mu.RUnlock()
	if ok {
		return v
	}
	v = f(k)
	s.mu.Lock()
	if s.m == nil || len(s.m) >= memoShardMax {
		s.m = make(map[string]V, 64)
	}
	// the key is often a slice of an article's text: a copy keeps the
	// text from being held by the memo
	s.m[strings.Clone(k)] = v
	s.mu.Unlock()
	return v
}
