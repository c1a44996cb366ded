package server

import (
	"context"
	"sync"
	"time"
)

// Bounds on the story details kept (see detailCache).
const (
	// maxCachedDetails is how many stories' details are kept.
	maxCachedDetails = 512
	// warmStories is how many of the largest stories' details are made
	// ahead, when a snapshot comes out.
	warmStories = 50
)

// detailCache keeps the details of stories (storyDetail: what the story
// page and /api/stories/{id} show) for as long as the snapshot they were
// made from is the current one. A large story's detail costs tens of
// milliseconds and up to 100 queries for copies; the largest stories,
// the most read, are made ahead when a snapshot comes out.
type detailCache struct {
	mu    sync.Mutex
	snap  *snapshot
	byID  map[string]storyDetail
	order []string // oldest first, for eviction
}

// detail returns the detail of the story with index i in sn.stories, made
// or kept. It is shared: callers must not modify it.
func (s *Server) detail(ctx context.Context, sn *snapshot, i int) (storyDetail, error) {
	c := &s.details
	id := sn.stories[i].ID
	c.mu.Lock()
	if c.snap != sn {
		c.snap, c.byID, c.order = sn, map[string]storyDetail{}, nil
	}
	d, ok := c.byID[id]
	c.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := s.storyDetail(ctx, sn, sn.stories[i])
	if err != nil {
		return d, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != sn {
		return d, nil
	}
	if _, ok := c.byID[id]; !ok {
		if len(c.order) >= maxCachedDetails {
			delete(c.byID, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, id)
	}
	c.byID[id] = d
	return d, nil
}

// warm makes the details of the largest stories of sn ahead of requests,
// one after the other, stopping when sn is no longer the current
// snapshot.
func (s *Server) warm(sn *snapshot) {
	start := time.Now()
	n := 0
	for i := range min(warmStories, len(sn.stories)) {
		if cur, _ := s.cache.latest(); cur != sn {
			return
		}
		if _, err := s.detail(context.Background(), sn, i); err != nil {
			s.log.Error("making a story's detail ahead", "story", sn.stories[i].ID, "err", err)
			return
		}
		n++
	}
	s.log.Debug("analysis: details of the largest stories made ahead", "stories", n, "seconds", time.Since(start).Seconds())
}
