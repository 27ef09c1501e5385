#!/usr/bin/python3
"""Writes internal/align/testdata: the similarity transforms and warped images
scikit-image computes for a few landmark sets, as insightface's
face_align.estimate_norm / norm_crop do (SimilarityTransform.estimate, then a
bilinear warp with a black border).

    /usr/bin/python3 scripts/make_align_fixtures.py   # Debian python3-skimage
"""
import json
import os

import numpy as np
import skimage
from skimage import io, transform

OUT = os.path.join(os.path.dirname(__file__), "..", "internal", "align", "testdata")

arcface_dst = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
     [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float32)
sphereface_dst = arcface_dst - np.array([8, 0], dtype=np.float32)


def template(name, size):
    # insightface's estimate_norm (float32 template, as there).
    if name == "sphereface":
        return sphereface_dst.astype(np.float64), 96, 112
    if size % 112 == 0:
        ratio, diff_x = float(size) / 112.0, 0
    else:
        ratio = float(size) / 128.0
        diff_x = 8.0 * ratio
    dst = arcface_dst * ratio
    dst[:, 0] += diff_x
    return dst.astype(np.float64), size, size


def source_image(h, w):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / 7.0) * np.cos(y / 5.0)
    g = (3 * x + 2 * y) % 256
    b = 40 + 180 * (((x // 8) + (y // 8)) % 2)
    return np.clip(np.round(np.stack([r, g, b], axis=-1)), 0, 255).astype(np.uint8)


def main():
    os.makedirs(OUT, exist_ok=True)
    src = source_image(120, 100)
    io.imsave(os.path.join(OUT, "source.png"), src, check_contrast=False)
    grey = np.round(src.astype(np.float64) @ [0.299, 0.587, 0.114]).astype(np.uint8)
    io.imsave(os.path.join(OUT, "source_grey.png"), grey, check_contrast=False)

    a = np.deg2rad(20)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    upright = np.array([[35.0, 45.0], [68.0, 43.0], [52.0, 62.0], [38.0, 82.0], [66.0, 80.0]])
    cases = [
        ("upright", upright, "arcface", 112, "rgb"),
        ("upright_128", upright, "arcface", 128, "rgb"),
        ("upright_96", upright, "arcface", 96, "grey"),
        ("rotated", (upright - 50) @ rot.T * 0.8 + [52, 58] + [[0.3, -0.2], [-0.4, 0.1], [0.2, 0.5], [-0.1, -0.3], [0.25, 0.15]],
         "arcface", 112, "rgb"),
        ("sphereface", upright + [1.5, -2.25], "sphereface", 112, "grey"),
        ("mirrored", upright[[1, 0, 2, 4, 3]], "arcface", 112, "rgb"),
        ("small_far", upright * 0.3 + [60, 70], "arcface", 112, "rgb"),
        ("collinear", np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 30.0], [40.0, 40.0], [50.0, 50.0]]), "arcface", 112, None),
    ]
    out = {"skimage": skimage.__version__, "source": "source.png", "source_grey": "source_grey.png", "cases": []}
    for name, lmk, tname, size, kind in cases:
        dst, w, h = template(tname, size)
        tform = transform.SimilarityTransform()
        tform.estimate(lmk, dst)
        m = tform.params[0:2, :]
        case = {"name": name, "template": tname, "size": size, "landmarks": lmk.tolist(),
                "matrix": m.tolist()}
        if kind is not None:
            img = src if kind == "rgb" else grey
            warped = transform.warp(img.astype(np.float64), tform.inverse, output_shape=(h, w),
                                    order=1, mode="constant", cval=0, preserve_range=True)
            png = "warp_%s.png" % name
            io.imsave(os.path.join(OUT, png), np.clip(np.round(warped), 0, 255).astype(np.uint8),
                      check_contrast=False)
            case["image"], case["grey"] = png, kind == "grey"
        out["cases"].append(case)
    with open(os.path.join(OUT, "skimage_align.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
