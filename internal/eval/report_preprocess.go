package eval

import (
	"encoding/json"
	"fmt"

	"github.com/cocotrain/cocotrain/internal/data"
)

// Where a report's preprocessing came from (Preprocessing.Source).
const (
	// FromCheckpoint: the crop, size and channels the model was trained
	// with, as its checkpoint records them.
	FromCheckpoint = "checkpoint"
	// FromFlags: the command line set the crop (--crop, --center-crop),
	// or a baseline's size and channels.
	FromFlags = "flags"
)

// Preprocessing is the preprocessing a report's images went through and
// where its crop came from.
type Preprocessing struct {
	data.Preprocess
	// Source is FromCheckpoint or FromFlags.
	Source string
}

// Describe returns the preprocessing in words, e.g. "centre crop 120×120,
// resized to 64×64 RGB".
func (p Preprocessing) Describe() string {
	colour := "grey"
	if p.Channels == 3 {
		colour = "RGB"
	}
	size := fmt.Sprintf("%d×%d %s", p.Size, p.Size, colour)
	switch {
	case p.Crop[2] > 0 && p.Crop[3] > 0:
		return fmt.Sprintf("crop %d×%d at (%d, %d), resized to %s", p.Crop[2], p.Crop[3], p.Crop[0], p.Crop[1], size)
	case p.CenterCrop > 0:
		return fmt.Sprintf("centre crop %d×%d, resized to %s", p.CenterCrop, p.CenterCrop, size)
	}
	return fmt.Sprintf("whole image, resized to %s", size)
}

// jsonPreprocessing is the JSON form of a Preprocessing.
type jsonPreprocessing struct {
	Size       int     `json:"size"`
	Channels   int     `json:"channels"`
	Crop       *[4]int `json:"crop"`
	CenterCrop int     `json:"center_crop"`
	Source     string  `json:"source"`
}

// MarshalJSON writes {"size", "channels", "crop" ([x, y, w, h] or null),
// "center_crop" (0: none), "source" ("checkpoint" or "flags")}.
func (p Preprocessing) MarshalJSON() ([]byte, error) {
	j := jsonPreprocessing{Size: p.Size, Channels: p.Channels, CenterCrop: p.CenterCrop, Source: p.Source}
	if p.Crop[2] > 0 && p.Crop[3] > 0 {
		c := p.Crop
		j.Crop = &c
	}
	return json.Marshal(j)
}
