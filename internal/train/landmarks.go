package train

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/align"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/model"
)

// landmarkTemplate returns the template data.landmarks aligns faces to:
// data.landmark_template (arcface when "") at the network's input size;
// sphereface is 96×112 at any size. `cocotrain eval-lfw --landmarks` picks
// the same, so training and evaluation crops agree.
func landmarkTemplate(d data.Config, m model.Config) (align.Template, error) {
	size := m.InputSize
	if d.LandmarkTemplate == align.SphereFace {
		size = 0
	}
	return align.NewTemplate(d.LandmarkTemplate, size)
}

// checkLandmarks refuses landmark settings that cannot work: a template
// without a landmark file, landmarks for the built-in synthetic faces or
// without train.val_dir, an unknown template or one that does not fit
// model.input_size.
func checkLandmarks(c Config) error {
	d, t := c.Data, c.Train
	switch {
	case d.Landmarks == "" && t.ValLandmarks == "" && d.LandmarkTemplate != "":
		return errors.New("data.landmark_template needs data.landmarks or train.val_landmarks")
	case d.Landmarks != "" && d.Path == "":
		return errors.New("data.landmarks aligns the ImageFolder at data.path (--data); the built-in synthetic faces need no alignment")
	case t.ValLandmarks != "" && t.ValDir == "":
		return errors.New("train.val_landmarks aligns the images of train.val_dir (--val-dir); a .bin is aligned already")
	case d.Landmarks == "" && t.ValLandmarks == "":
		return nil
	}
	if _, err := landmarkTemplate(d, c.Model); err != nil {
		return fmt.Errorf("data.landmark_template: %w", err)
	}
	return nil
}

// alignValSet replaces the images of v, the LFW-layout set at
// cfg.Train.ValDir, by their crops aligned to cfg.Train.ValLandmarks as the
// training images are aligned (landmarkTemplate). Every image needs
// landmarks: the error counts and names those without.
func alignValSet(v *data.VerificationSet, cfg Config) (*data.VerificationSet, error) {
	lm, err := align.ReadLandmarks(cfg.Train.ValLandmarks)
	if err != nil {
		return nil, err
	}
	tpl, err := landmarkTemplate(cfg.Data, cfg.Model)
	if err != nil {
		return nil, err
	}
	src, err := align.NewSource(v.Images, cfg.Train.ValDir, lm, tpl)
	if err != nil {
		return nil, err
	}
	aligned := *v
	aligned.Images = src
	return &aligned, nil
}

// landmarkSet is the training ImageFolder at data.path aligned on the fly
// to data.landmarks (align.Source: the transform of `cocotrain align`),
// without the images that have no landmarks.
type landmarkSet struct {
	*align.Source
	// skipped are the images left out for want of landmarks.
	skipped []string
}

// openLandmarkSet opens the ImageFolder at cfg.Data.Path aligned to
// cfg.Data.Landmarks. Errors name the landmark file and line (a malformed
// entry), or the directory when it is not an ImageFolder or no image has
// landmarks.
func openLandmarkSet(cfg Config) (*landmarkSet, error) {
	d := cfg.Data
	st, err := os.Stat(d.Path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: data.landmarks aligns an ImageFolder directory, not a .rec or .pack file (whose faces are aligned already)", d.Path)
	}
	folder, err := data.OpenImageFolder(d.Path)
	if err != nil {
		return nil, err
	}
	lm, err := align.ReadLandmarks(d.Landmarks)
	if err != nil {
		return nil, err
	}
	tpl, err := landmarkTemplate(d, cfg.Model)
	if err != nil {
		return nil, err
	}
	var paths, skipped []string
	var labels []int
	for i := range folder.Len() {
		rel, err := filepath.Rel(d.Path, folder.Name(i))
		if err != nil {
			return nil, err
		}
		if _, ok := lm.Lookup(rel); !ok {
			skipped = append(skipped, folder.Name(i))
			continue
		}
		paths, labels = append(paths, folder.Name(i)), append(labels, folder.Label(i))
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: none of the %d images of %s has landmarks in it", d.Landmarks, folder.Len(), d.Path)
	}
	src, err := align.NewSource(data.NewFileList(paths, labels, folder.Classes()), d.Path, lm, tpl)
	if err != nil {
		return nil, err
	}
	return &landmarkSet{Source: src, skipped: skipped}, nil
}

// summary is the line that counts the images aligned and left out (naming
// the first few left out).
func (s *landmarkSet) summary(landmarks string) string {
	line := fmt.Sprintf("data.landmarks %s: aligned %d images, skipped %d without landmarks", landmarks, s.Len(), len(s.skipped))
	if n := len(s.skipped); n > 0 {
		line += ": " + strings.Join(s.skipped[:min(n, 5)], ", ")
		if n > 5 {
			line += fmt.Sprintf(" and %d more", n-5)
		}
	}
	return line
}
