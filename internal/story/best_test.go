package story

import (
	"reflect"
	"testing"
)

// TestSkippingFarCandidatesChangesNothing clusters articles on recurring
// topics over months, so that the candidates of many articles are events
// and stories of the same topic too far in time to be joined, with best
// skipping those (their decay below the similarity to beat) and without:
// the clusters must be the same.
func TestSkippingFarCandidatesChangesNothing(t *testing.T) {
	defer func(v bool) { skipFar = v }(skipFar)
	arts := manyArticles(6000)
	docs := namedDocs(arts, topicPeople(arts))
	for _, opt := range []Options{{}, {EventDays: 0.5, StoryDays: 2}} {
		skipFar = false
		want := Cluster(docs, opt)
		skipFar = true
		got := Cluster(docs, opt)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("options %+v: skipping far candidates changed the clusters", opt)
		}
		if len(want.Events) < 100 {
			t.Errorf("options %+v: %d events; the test wants many", opt, len(want.Events))
		}
	}
}
