package eval

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// TestReportPreprocess: a report with its preprocessing set prints a
// "preprocess" line and JSON key (the crop as [x, y, w, h] or null, the
// source); without it, neither.
func TestReportPreprocess(t *testing.T) {
	same := []bool{true, false, true, false}
	r, err := NewReport("pixels", []float64{0.1, 2, 0.2, 3}, nil, same, 2)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	if strings.Contains(text.String(), "preprocess") || strings.Contains(string(b), "preprocess") {
		t.Errorf("a report without preprocessing mentions it:\n%s\n%s", text.String(), b)
	}
	for _, tc := range []struct {
		p          Preprocessing
		line, json string
	}{
		{Preprocessing{data.Preprocess{Size: 64, Channels: 3, Crop: [4]int{65, 60, 120, 130}}, FromFlags},
			"preprocess  crop 120×130 at (65, 60), resized to 64×64 RGB  from the flags",
			`"preprocess":{"size":64,"channels":3,"crop":[65,60,120,130],"center_crop":0,"source":"flags"}`},
		{Preprocessing{data.Preprocess{Size: 32, Channels: 1, CenterCrop: 120}, FromCheckpoint},
			"preprocess  centre crop 120×120, resized to 32×32 grey  from the checkpoint",
			`"preprocess":{"size":32,"channels":1,"crop":null,"center_crop":120,"source":"checkpoint"}`},
	} {
		r.Preprocess = &tc.p
		text.Reset()
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(text.String()), " "), strings.Join(strings.Fields(tc.line), " ")) {
			t.Errorf("text lacks %q:\n%s", tc.line, text.String())
		}
		b, err := json.Marshal(r)
		if err != nil || !strings.Contains(string(b), tc.json) {
			t.Errorf("JSON %s (%v) lacks %s", b, err, tc.json)
		}
	}
}
