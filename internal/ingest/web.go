package ingest

import (
	"errors"
)

// page is a fetched web page, ready to become a document.
type page struct {
	URL  string // after redirects
	Kind string
	Body []byte
}

// errNoFetch is returned when a URL would have to be fetched but the reader
// has no fetcher.
var errNoFetch = errors.New("fetching is off")

func (r *Reader) canFetch() bool { return false }

func (r *Reader) fetchPage(rawURL string) (page, error) { return page{}, errNoFetch }
