package align

import "fmt"

// Template names accepted by NewTemplate.
const (
	ArcFace    = "arcface"
	SphereFace = "sphereface"
)

// arcface112 is insightface's reference for 112×112 crops (arcface_dst in
// python-package/insightface/utils/face_align.py): left eye, right eye, nose
// tip, left and right mouth corners.
var arcface112 = [5]Point{
	{38.2946, 51.6963}, {73.5318, 51.5014}, {56.0252, 71.7366},
	{41.5493, 92.3655}, {70.7299, 92.2041},
}

// sphereface96x112 is SphereFace's reference for 96 wide × 112 high crops
// (sphereface/preprocess/code/face_align_demo.m, coord5points).
var sphereface96x112 = [5]Point{
	{30.2946, 51.6963}, {65.5318, 51.5014}, {48.0252, 71.7366},
	{33.5493, 92.3655}, {62.7299, 92.2041},
}

// Template is where the five landmarks go in an aligned crop of W×H pixels.
type Template struct {
	Name   string
	W, H   int
	Points [5]Point
}

// NewTemplate returns the named template. ArcFace is square: size×size, the
// 112 reference scaled as insightface's estimate_norm does (size/112 when
// size is a multiple of 112, otherwise size/128 with an 8·size/128 shift to
// the right, so 128 keeps the 112 face centred). SphereFace is always 96×112
// and takes size 0 or 112 only. The points are rounded to float32, as
// insightface's numpy templates are, so the matrices agree to 1e-5.
func NewTemplate(name string, size int) (Template, error) {
	switch name {
	case ArcFace, "":
		if size < 16 || size > 4096 {
			return Template{}, fmt.Errorf("align: size %d out of range [16, 4096]", size)
		}
		// In float32, as insightface's numpy template is.
		ratio, dx := float32(size)/112, float32(0)
		if size%112 != 0 {
			ratio = float32(size) / 128
			dx = 8 * ratio
		}
		t := Template{Name: ArcFace, W: size, H: size}
		for i, p := range arcface112 {
			t.Points[i] = Point{float64(float32(p.X)*ratio + dx), float64(float32(p.Y) * ratio)}
		}
		return t, nil
	case SphereFace:
		if size != 0 && size != 112 {
			return Template{}, fmt.Errorf("align: the sphereface template is 96×112 only, not size %d", size)
		}
		t := Template{Name: SphereFace, W: 96, H: 112}
		for i, p := range sphereface96x112 {
			t.Points[i] = Point{float64(float32(p.X)), float64(float32(p.Y))}
		}
		return t, nil
	}
	return Template{}, fmt.Errorf("align: unknown template %q (want %s or %s)", name, ArcFace, SphereFace)
}

// Transform returns the similarity that maps the five landmarks of a face
// onto t.Points (least squares, Estimate).
func (t Template) Transform(landmarks [5]Point) (Similarity, error) {
	return Estimate(landmarks[:], t.Points[:])
}
