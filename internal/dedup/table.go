package dedup

// bandTable maps one band's keys to the latest article with each (its
// position): open addressing with linear probing in a power-of-two array,
// at most three quarters full. Keys are splitmix outputs, evenly spread,
// and are their own hashes. Nothing is deleted: sweep rebuilds the table
// without the keys of articles that left the window. A lookup tells the
// slot where the key is or goes, so that the article is entered there
// without a second search.
type bandTable struct {
	slots []bandSlot
	used  int
}

type bandSlot struct {
	key uint64
	pos int64 // the position + 1; 0: empty
}

// minTable is the smallest table's size.
const minTable = 16

func newBandTable(n int) bandTable {
	size := minTable
	for size*3 < n*4 {
		size *= 2
	}
	return bandTable{slots: make([]bandSlot, size)}
}

// lookup returns the slot of key (or of the empty place it goes to) and
// the latest position with it, -1 for none.
func (t *bandTable) lookup(key uint64) (at int, pos int64) {
	mask := len(t.slots) - 1
	for i := int(key) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.pos == 0 {
			return i, -1
		}
		if s.key == key {
			return i, s.pos - 1
		}
	}
}

// set makes p the latest position with key, whose slot lookup returned
// (the table unchanged since).
func (t *bandTable) set(at int, key uint64, p int64) {
	s := &t.slots[at]
	if s.pos == 0 {
		s.key = key
		t.used++
	}
	s.pos = p + 1
	if t.used*4 > len(t.slots)*3 {
		t.rebuild(2*len(t.slots), -1)
	}
}

// sweep rebuilds the table without the keys whose latest position is
// before oldest.
func (t *bandTable) sweep(oldest int64) {
	live := 0
	for _, s := range t.slots {
		if s.pos-1 >= oldest && s.pos != 0 {
			live++
		}
	}
	size := minTable
	for size*3 < live*4+4 {
		size *= 2
	}
	t.rebuild(size, oldest)
}

// rebuild moves the entries whose position is at least oldest to a new
// table of size slots.
func (t *bandTable) rebuild(size int, oldest int64) {
	old := t.slots
	t.slots, t.used = make([]bandSlot, size), 0
	mask := size - 1
	for _, s := range old {
		if s.pos == 0 || s.pos-1 < oldest {
			continue
		}
		i := int(s.key) & mask
		for t.slots[i].pos != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
		t.used++
	}
}
