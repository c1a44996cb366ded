package dedup

import "errors"

// Entry is one article an Index holds: its ID, the signature of its text
// and its number of shingles.
type Entry struct {
	ID   string
	Sig  Signature
	Size int32
}

// Next returns the position the next article added takes: how many
// articles were ever added (texts without words are not).
func (x *Index) Next() int64 { return x.next }

// Window returns how many of the latest articles the index keeps.
func (x *Index) Window() int { return x.window }

// Entry returns the article at position p, when the index still holds it.
func (x *Index) Entry(p int64) (Entry, bool) {
	if p < 0 || p >= x.next || p < x.next-int64(x.window) {
		return Entry{}, false
	}
	i := int(p % int64(x.window))
	return Entry{ID: x.ids[i], Sig: x.sigs[i], Size: x.sizes[i]}, true
}

// Restore returns an index keeping window articles that holds entries,
// the latest ones added: the last at position next-1, the one before at
// next-2, and so on. It is what the index was when those were added, so
// that a saved index can be kept as its entries and loaded again.
func Restore(window int, next int64, entries []Entry) (*Index, error) {
	n := len(entries)
	if window < 1 || next < 0 || int64(n) != min(next, int64(window)) {
		return nil, errors.New("dedup: restore index: inconsistent state")
	}
	x := NewIndexWindow(window)
	for b := range x.bands {
		x.bands[b] = newBandTable(n)
	}
	x.next = next
	if n > 0 {
		x.ids, x.sigs, x.sizes = make([]string, n), make([]Signature, n), make([]int32, n)
		x.links = make([]int64, n*Bands)
	}
	start := next - int64(n)
	for k, e := range entries {
		p := start + int64(k)
		i := int(p % int64(window))
		x.ids[i], x.sigs[i], x.sizes[i] = e.ID, e.Sig, e.Size
	}
	for p := start; p < next; p++ {
		x.relink(p, int(p%int64(window)))
	}
	return x, nil
}
