package server

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
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
	// maxCachedBodies is how many story pages' rendered content is kept
	// (up to a megabyte each for a story of thousands of articles).
	maxCachedBodies = 64
)

// detailCache keeps the details of stories (storyDetail: what the story
// page and /api/stories/{id} show) for as long as the snapshot they were
// made from is the current one. A large story's detail costs tens of
// milliseconds and up to 100 queries for copies; the largest stories,
// the most read, are made ahead when a snapshot comes out.
type detailCache struct {
	mu   sync.Mutex
	snap *snapshot
	byID bounded[string, storyDetail]
	// the story pages' content, rendered
	bodies bounded[string, template.HTML]
}

// detail returns the detail of the story with index i in sn.stories, made
// or kept. It is shared: callers must not modify it.
func (s *Server) detail(ctx context.Context, sn *snapshot, i int) (storyDetail, error) {
	c := &s.details
	id := sn.stories[i].ID
	c.mu.Lock()
	c.reset(sn)
	d, ok := c.byID.get(id)
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
	c.byID.put(id, d)
	return d, nil
}

// reset empties the cache when sn is not the snapshot it holds; c.mu is
// held.
func (c *detailCache) reset(sn *snapshot) {
	if c.snap != sn {
		c.snap = sn
		c.byID = newBounded[string, storyDetail](maxCachedDetails)
		c.bodies = newBounded[string, template.HTML](maxCachedBodies)
	}
}

// storyBody returns the title and the rendered content of the page of the
// story with index i in sn.stories, made or kept: a story of thousands of
// articles has thousands of events, bands and dots to render, and the
// template's reflection costs a few hundred milliseconds there. The
// content is rendered by html/template like any page, escaped in context;
// only the layout around it is rendered per request.
func (s *Server) storyBody(ctx context.Context, sn *snapshot, i int) (string, template.HTML, error) {
	c := &s.details
	id := sn.stories[i].ID
	c.mu.Lock()
	c.reset(sn)
	body, ok := c.bodies.get(id)
	c.mu.Unlock()
	d, err := s.detail(ctx, sn, i)
	if err != nil {
		return "", "", err
	}
	title := d.Story.DisplayTitle()
	if ok {
		return title, body, nil
	}
	var buf bytes.Buffer
	if err := s.pages["story"].ExecuteTemplate(&buf, "content", map[string]any{"D": d, "People": sn.storyPeople(sn.stories[i])}); err != nil {
		return "", "", fmt.Errorf("rendering the story page: %w", err)
	}
	body = template.HTML(buf.String()) // html/template's own output
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != sn {
		return title, body, nil
	}
	c.bodies.put(id, body)
	return title, body, nil
}

// warm makes the details of the largest stories of sn ahead of requests,
// one after the other, stopping when sn is no longer the current
// snapshot or ctx is done (the server shuts down).
func (s *Server) warm(ctx context.Context, sn *snapshot) {
	start := time.Now()
	n := 0
	for i := range min(warmStories, len(sn.stories)) {
		if cur, _ := s.cache.latest(); cur != sn || ctx.Err() != nil {
			return
		}
		if _, _, err := s.storyBody(ctx, sn, i); err != nil {
			if ctx.Err() == nil {
				s.log.Error("making a story's detail ahead", "story", sn.stories[i].ID, "err", err)
			}
			return
		}
		n++
	}
	s.log.Debug("analysis: details of the largest stories made ahead", "stories", n, "seconds", time.Since(start).Seconds())
}
