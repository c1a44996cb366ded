package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/storyline-news/storyline"
)

func joinArgs(args []string) string { return strings.Join(args, " ") }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func nonNilHits(h []storyline.SearchHit) []storyline.SearchHit {
	if h == nil {
		return []storyline.SearchHit{}
	}
	return h
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
