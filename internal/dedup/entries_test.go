package dedup

import (
	"fmt"
	"reflect"
	"testing"
)

func TestRestoreIsTheIndexItsEntriesCameFrom(t *testing.T) {
	text := func(i int) string {
		return fmt.Sprintf("The council of district %d met on Tuesday to vote on the harbour budget and the new ferry timetable for the coming winter season.", i%7)
	}
	for _, n := range []int{0, 3, 5, 12} {
		live := NewIndexWindow(5)
		for i := 0; i < n; i++ {
			live.Add(fmt.Sprint("a", i), text(i))
		}
		var entries []Entry
		for p := live.Next() - int64(live.Len()); p < live.Next(); p++ {
			e, ok := live.Entry(p)
			if !ok {
				t.Fatalf("n=%d: position %d is in the window but has no entry", n, p)
			}
			entries = append(entries, e)
		}
		if _, ok := live.Entry(live.Next()); ok {
			t.Errorf("n=%d: an entry past the last article", n)
		}
		got, err := Restore(live.Window(), live.Next(), entries)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, live) {
			t.Errorf("n=%d: the restored index differs from the live one", n)
		}
		// both go on alike
		m1, d1 := live.Add("next", text(3))
		m2, d2 := got.Add("next", text(3))
		if m1 != m2 || d1 != d2 {
			t.Errorf("n=%d: after restoring, %v %v; live %v %v", n, m2, d2, m1, d1)
		}
	}
	if _, err := Restore(5, 9, make([]Entry, 3)); err == nil {
		t.Error("entries that do not fill the window were accepted")
	}
}
