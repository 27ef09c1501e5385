package data

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestPixelCache checks that the cache holds exactly what Preprocess.Pixels
// makes of each image, passes the source's labels and names through, and
// gives back the same pixels as an image (grey and colour).
func TestPixelCache(t *testing.T) {
	src := testSource{n: 7, classes: 3, w: 12, h: 10, bad: -1}
	for _, channels := range []int{1, 3} {
		c, err := NewPixelCache(context.Background(), src, 8, channels)
		if err != nil {
			t.Fatal(err)
		}
		if ch, size := c.PixelShape(); ch != channels || size != 8 || c.Len() != src.n || !slices.Equal(c.Classes(), src.Classes()) {
			t.Fatalf("shape %d×%d, %d images, classes %v", ch, size, c.Len(), c.Classes())
		}
		pp := Preprocess{Size: 8, Channels: channels}
		want := make([]uint8, pp.Len())
		for i := range src.n {
			img, _ := src.Image(i)
			if err := pp.Pixels(want, img); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.Pixels(i), want) {
				t.Fatalf("channels %d image %d: cached pixels differ from Preprocess.Pixels", channels, i)
			}
			if c.Label(i) != src.Label(i) || c.Name(i) != src.Name(i) {
				t.Errorf("image %d: label %d name %q, want %d %q", i, c.Label(i), c.Name(i), src.Label(i), src.Name(i))
			}
			back, err := c.Image(i)
			if err != nil {
				t.Fatal(err)
			}
			again := make([]uint8, pp.Len())
			if err := pp.Pixels(again, back); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(again, want) {
				t.Fatalf("channels %d image %d: Image does not give back the cached pixels", channels, i)
			}
		}
		if _, err := c.Image(src.n); err == nil {
			t.Error("Image out of range: no error")
		}
	}
}

func TestPixelCacheErrors(t *testing.T) {
	_, err := NewPixelCache(context.Background(), testSource{n: 5, classes: 2, w: 4, h: 4, bad: 3}, 4, 1)
	if err == nil || !strings.Contains(err.Error(), "mem#3") {
		t.Errorf("a bad image: %v, want an error naming mem#3", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewPixelCache(ctx, testSource{n: 5, classes: 2, w: 4, h: 4, bad: -1}, 4, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := NewPixelCache(context.Background(), testSource{n: 1, classes: 1, w: 4, h: 4, bad: -1}, 0, 1); err == nil {
		t.Error("size 0: no error")
	}
}
