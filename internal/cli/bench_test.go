package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteHeapProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap.pprof")
	if err := writeHeapProfile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// a profile is gzip-compressed protocol buffers
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Errorf("heap profile starts with % x, want gzip", b[:min(len(b), 4)])
	}
	if err := writeHeapProfile(filepath.Join(t.TempDir(), "no", "such", "dir", "heap.pprof")); err == nil {
		t.Error("writing into a missing directory: no error")
	}
}
