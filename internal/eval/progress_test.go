package eval

import (
	"bytes"
	"strings"
	"testing"
)

// TestProgressBar draws a bar into a buffer: it shows its title and the
// count, and is cleared when the total is reached.
func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := ProgressBar(&b, "embedding")
	p(4, 10)
	if s := b.String(); !strings.Contains(s, "embedding") || !strings.Contains(s, "4/10") {
		t.Fatalf("bar at 4 of 10 drew %q", s)
	}
	b.Reset()
	p(10, 10)
	if s := b.String(); strings.TrimSpace(s) != "" || !strings.HasSuffix(s, "\r") {
		t.Errorf("bar at 10 of 10 drew %q, want it cleared", s)
	}
}
