// Package data reads face datasets (ImageFolder trees, insightface RecordIO,
// LFW directories with pairs.txt, insightface lfw.bin, cocotrain pack files,
// and any source cached in memory as pixels), preprocesses and augments
// images, and feeds batches to training.
package data

import "image"

// Source is a labelled image collection. Items are indexed 0..Len()-1;
// labels index Classes().
type Source interface {
	// Len is the number of images.
	Len() int
	// Classes returns the identity names; a label is an index into it.
	Classes() []string
	// Label returns the identity label of item i.
	Label(i int) int
	// Image decodes item i. Errors name the file (or record offset).
	Image(i int) (image.Image, error)
	// Name identifies item i for messages: a file path or "train.rec@offset".
	Name(i int) string
}
