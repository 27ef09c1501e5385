// Package eval measures pair verification the way insightface and facenet
// report it on LFW: embeddings of each image and its mirror, summed and
// L2-normalised; squared-L2 distances; k contiguous folds, each scored at the
// threshold that maximises accuracy on the other k−1; VAL@FAR, ROC, AUC, EER
// and TAR@FAR; a text and JSON report, an ROC plot and CSV; and the classical
// raw-pixel and Eigenfaces baselines scored by the same protocol.
package eval
