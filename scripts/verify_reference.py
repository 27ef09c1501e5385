#!/usr/bin/env python3
"""Reference values for internal/eval: insightface's LFW verification protocol.

calculate_roc / calculate_accuracy / calculate_val / calculate_val_far below are
insightface's recognition/arcface_torch/eval/verification.py, unchanged but for
one stand-in:

- interpolate.interp1d(far_train, thresholds, kind='slinear') is what scipy
  built before 1.10 refused duplicate x values (far_train always has
  duplicates): a stable (mergesort) sort of x, then
  make_interp_spline(x, y, k=1), i.e. BSpline(t=r_[x[0], x, x[-1]], c=y, k=1).
  Newer scipy raises "Expect x to not have duplicates" in insightface's own
  code; this is the behaviour its published numbers were computed with.

The folds come from scikit-learn's KFold(n_splits=k, shuffle=False) (as in
insightface's LFold). The ROC is scikit-learn's roc_curve on the score −d
(all points: drop_intermediate=False), its AUC roc_auc_score, the EER
facenet's brentq(1 − x − interp1d(fpr, tpr)(x)), and TAR@FAR the largest TPR
at FPR ≤ FAR.

Needs numpy, scipy and scikit-learn (Debian: python3-scipy python3-sklearn).
Run: /usr/bin/python3 scripts/verify_reference.py
Writes internal/eval/testdata/insightface_*.json: the score lists and the
per-fold thresholds, accuracies, VAL/FAR and ROC summaries the Go tests must
reproduce.
"""
import json
import os

import numpy as np
from scipy import interpolate
from scipy.interpolate import BSpline
from scipy.optimize import brentq
from sklearn import metrics
from sklearn.model_selection import KFold


def kfold_split(n, k):
    if k == 1:  # insightface's LFold: train and test on everything
        idx = np.arange(n)
        return [(idx, idx)]
    return KFold(n_splits=k, shuffle=False).split(np.arange(n))


def interp1d_slinear(x, y):
    ind = np.argsort(x, kind="mergesort")
    x, y = x[ind], y[ind]
    t = np.r_[x[0], x, x[-1]]
    return BSpline.construct_fast(t, np.ascontiguousarray(y, dtype=float), 1)


def calculate_accuracy(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    tp = np.sum(np.logical_and(predict_issame, actual_issame))
    fp = np.sum(np.logical_and(predict_issame, np.logical_not(actual_issame)))
    tn = np.sum(np.logical_and(np.logical_not(predict_issame), np.logical_not(actual_issame)))
    fn = np.sum(np.logical_and(np.logical_not(predict_issame), actual_issame))
    tpr = 0 if (tp + fn == 0) else float(tp) / float(tp + fn)
    fpr = 0 if (fp + tn == 0) else float(fp) / float(fp + tn)
    acc = float(tp + tn) / dist.size
    return tpr, fpr, acc


def calculate_roc(thresholds, dist, actual_issame, nrof_folds):
    nrof_thresholds = len(thresholds)
    accuracy = np.zeros((nrof_folds))
    best = np.zeros((nrof_folds))
    for fold_idx, (train_set, test_set) in enumerate(kfold_split(len(dist), nrof_folds)):
        acc_train = np.zeros((nrof_thresholds))
        for threshold_idx, threshold in enumerate(thresholds):
            _, _, acc_train[threshold_idx] = calculate_accuracy(
                threshold, dist[train_set], actual_issame[train_set])
        best_threshold_index = np.argmax(acc_train)
        best[fold_idx] = thresholds[best_threshold_index]
        _, _, accuracy[fold_idx] = calculate_accuracy(
            thresholds[best_threshold_index], dist[test_set], actual_issame[test_set])
    return accuracy, best


def calculate_val_far(threshold, dist, actual_issame):
    predict_issame = np.less(dist, threshold)
    true_accept = np.sum(np.logical_and(predict_issame, actual_issame))
    false_accept = np.sum(np.logical_and(predict_issame, np.logical_not(actual_issame)))
    n_same = np.sum(actual_issame)
    n_diff = np.sum(np.logical_not(actual_issame))
    val = float(true_accept) / float(n_same)
    far = float(false_accept) / float(n_diff)
    return val, far


def calculate_val(thresholds, dist, actual_issame, far_target, nrof_folds):
    nrof_thresholds = len(thresholds)
    val = np.zeros(nrof_folds)
    far = np.zeros(nrof_folds)
    for fold_idx, (train_set, test_set) in enumerate(kfold_split(len(dist), nrof_folds)):
        far_train = np.zeros(nrof_thresholds)
        for threshold_idx, threshold in enumerate(thresholds):
            _, far_train[threshold_idx] = calculate_val_far(
                threshold, dist[train_set], actual_issame[train_set])
        if np.max(far_train) >= far_target:
            f = interp1d_slinear(far_train, thresholds)
            threshold = f(far_target)
        else:
            threshold = 0.0
        val[fold_idx], far[fold_idx] = calculate_val_far(
            threshold, dist[test_set], actual_issame[test_set])
    return np.mean(val), np.std(val), np.mean(far), val, far


def scores(rng, n_folds, per_fold, sep):
    """LFW-like layout: each fold holds per_fold same then per_fold different
    pairs. Distances of unit embeddings in [0, 4]; a tenth of them sit exactly
    on a grid threshold i*0.01, to exercise the strict '<'."""
    dist, same = [], []
    for _ in range(n_folds):
        s = np.clip(rng.normal(1.0 - sep / 2, 0.35, per_fold), 0, 4)
        d = np.clip(rng.normal(1.0 + sep / 2, 0.35, per_fold), 0, 4)
        dist += list(s) + list(d)
        same += [True] * per_fold + [False] * per_fold
    dist = np.array(dist)
    on_grid = rng.random(len(dist)) < 0.1
    dist[on_grid] = np.round(dist[on_grid] * 100) * 0.01
    return dist, np.array(same)


def fixture(name, dist, same, folds):
    thr = np.arange(0, 4, 0.01)
    acc, best = calculate_roc(thr, dist, same, folds)
    val, val_std, far, val_f, far_f = calculate_val(np.arange(0, 4, 0.001), dist, same, 1e-3, folds)
    fpr, tpr, _ = metrics.roc_curve(same, -dist, drop_intermediate=False)
    auc = metrics.roc_auc_score(same, -dist)
    eer = brentq(lambda x: 1.0 - x - interpolate.interp1d(fpr, tpr)(x), 0.0, 1.0)
    tar = {k: float(np.max(tpr[fpr <= f])) for k, f in (("1e-2", 1e-2), ("1e-3", 1e-3), ("1e-4", 1e-4))}
    out = {
        "folds": folds,
        "roc_points": len(fpr), "auc": float(auc), "eer": float(eer), "tar_at_far": tar,
        "dist": [float(x) for x in dist],
        "same": [bool(x) for x in same],
        "fold_accuracy": list(acc),
        "fold_threshold": list(best),
        "accuracy_mean": float(np.mean(acc)),
        "accuracy_std": float(np.std(acc)),
        "fold_val": list(val_f),
        "fold_far": list(far_f),
        "val_mean": float(val), "val_std": float(val_std), "far_mean": float(far),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "internal", "eval", "testdata", name)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"{name}: {len(dist)} pairs, {folds} folds, acc {np.mean(acc):.4f} ± {np.std(acc):.4f}, "
          f"VAL@1e-3 {val:.4f} ± {val_std:.4f}, FAR {far:.5f}, AUC {auc:.6f}, EER {eer:.6f}, TAR {tar}")


def main():
    assert len(np.arange(0, 4, 0.01)) == 400 and len(np.arange(0, 4, 0.001)) == 4000
    assert all(np.arange(0, 4, 0.001)[i] == i * 0.001 for i in range(4000))
    rng = np.random.default_rng(20261129)
    d, s = scores(rng, 10, 300, 0.9)  # LFW View 2 shape: 10 folds of 300 + 300
    fixture("insightface_lfw10.json", d, s, 10)
    # An uneven split: 7 folds over 1003 pairs (shuffled labels, easy scores).
    d, s = scores(rng, 1, 502, 1.6)
    perm = rng.permutation(len(d))[:1003]
    fixture("insightface_uneven7.json", d[perm], s[perm], 7)


if __name__ == "__main__":
    main()
