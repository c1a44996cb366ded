package server

// bounded is a map that keeps at most max entries: putting a new key when
// it is full drops the oldest key put. Its zero value is empty and holds
// nothing until max is set; it is not safe for concurrent use.
type bounded[K comparable, V any] struct {
	max   int
	m     map[K]V
	order []K // oldest first, for eviction
}

func newBounded[K comparable, V any](max int) bounded[K, V] {
	return bounded[K, V]{max: max, m: map[K]V{}}
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	v, ok := b.m[k]
	return v, ok
}

// put keeps v for k, dropping the oldest key when a new one would exceed max.
func (b *bounded[K, V]) put(k K, v V) {
	if b.max <= 0 {
		return
	}
	if b.m == nil {
		b.m = map[K]V{}
	}
	if _, ok := b.m[k]; !ok {
		if len(b.order) >= b.max {
			delete(b.m, b.order[0])
			b.order = b.order[1:]
		}
		b.order = append(b.order, k)
	}
	b.m[k] = v
}

func (b *bounded[K, V]) len() int { return len(b.m) }
