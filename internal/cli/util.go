package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
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

// dataDir is the directory a command reads its corpus from: the --data
// flag when given, else the part of the shared corpora (../shared) named
// by parts.
func dataDir(flag, command string, parts ...string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	d, err := corpus.Path(parts...)
	if err != nil {
		return "", fmt.Errorf("%s: %w (give --data DIR)", command, err)
	}
	return d, nil
}
