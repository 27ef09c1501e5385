package data

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchFolder writes an ImageFolder of n 112×112 colour JPEGs (16
// identities) with smooth content plus texture, as aligned faces are.
func benchFolder(b *testing.B, n int) string {
	root := b.TempDir()
	for i := 0; i < n; i++ {
		dir := filepath.Join(root, fmt.Sprintf("id%02d", i%16))
		os.MkdirAll(dir, 0o755)
		m := image.NewRGBA(image.Rect(0, 0, 112, 112))
		for y := 0; y < 112; y++ {
			for x := 0; x < 112; x++ {
				t := uint8((x*x+y*3*i)/7 + (x^y)&15)
				m.Set(x, y, color.RGBA{t, uint8(y + i), uint8(x * 2), 255})
			}
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%04d.jpg", i)))
		if err != nil {
			b.Fatal(err)
		}
		jpeg.Encode(f, m, &jpeg.Options{Quality: 90})
		f.Close()
	}
	return root
}

// benchLoader runs whole epochs of batches of 64 on all cores with the
// default augmentation (or none) and reports images per second of wall
// time and per second of CPU time.
func benchLoader(b *testing.B, src Source, augment bool) {
	cfg := DefaultConfig()
	if !augment {
		cfg.Augment = Augment{}
	}
	l, err := NewLoader(src, cfg, cfg.Preprocess(112, 3), 64, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	images := 0
	for e := 0; e < b.N; e++ {
		it := l.Epoch(context.Background(), e, 0)
		for {
			bt, err := it.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			images += len(bt.Labels)
		}
		it.Close()
	}
	b.ReportMetric(float64(images)/b.Elapsed().Seconds(), "images/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(images)/cpu, "images/cpu-s")
	}
}

// BenchmarkLoader measures decode + preprocess + augment + batch for 512
// 112×112 JPEGs read as an ImageFolder and as a pack file.
func BenchmarkLoader(b *testing.B) {
	folder, err := OpenImageFolder(benchFolder(b, 512))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "bench.pack")
	if _, err := WritePack(context.Background(), path, folder, PackOptions{Preprocess: Preprocess{Size: 112, Channels: 3}}); err != nil {
		b.Fatal(err)
	}
	pack, err := OpenPack(path)
	if err != nil {
		b.Fatal(err)
	}
	defer pack.Close()
	for _, augment := range []bool{true, false} {
		name := map[bool]string{true: "augment", false: "plain"}[augment]
		b.Run("jpeg-folder/"+name, func(b *testing.B) { benchLoader(b, folder, augment) })
		b.Run("pack/"+name, func(b *testing.B) { benchLoader(b, pack, augment) })
	}
}
