"""The statistical stage: a linear classifier over word and character n-grams.

Features of a sentence (after normalisation, lemmatisation and slot spotting):

- word lemmas, with every spotted slot value also as its placeholder (``§practice``);
- word bigrams over the placeholder form, with sentence boundaries;
- character 3- to 5-grams of the sentence with its spaces removed, so that split and
  joined compounds and misheard endings still share most of their features;
- the sentence length in words (capped), which tells short commands from long answers.

The model is multinomial logistic regression (softmax), trained with mini-batch Adam on
the samples of :mod:`assistant.understand.training`, classes weighted so that intents with
few templates count as much as the others. Weights are kept as a numpy array; a prediction
is a sum of the rows of the features present.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EPOCHS = 14
BATCH = 256
LEARNING_RATE = 0.03
L2 = 1e-5
CHAR_WEIGHT = 0.6
MAX_LENGTH_FEATURE = 9

FloatArray = npt.NDArray[np.float32]


def features(surface: Sequence[str], lemmas: Sequence[str], tagged: Sequence[str]
             ) -> dict[str, float]:
    """Feature name -> value for one sentence (``tagged``: lemmas with placeholders)."""
    out: dict[str, float] = {}
    words = set(lemmas) | set(tagged)
    for word in words:
        out["w:" + word] = 1.0
    seq = ["^", *tagged, "$"]
    for a, b in zip(seq, seq[1:], strict=False):
        out[f"b:{a} {b}"] = 1.0
    out[f"n:{min(len(surface), MAX_LENGTH_FEATURE)}"] = 1.0
    compact = "<" + "".join(surface) + ">"
    grams = {compact[i : i + n] for n in (3, 4, 5) for i in range(len(compact) - n + 1)}
    if grams:
        weight = CHAR_WEIGHT * (len(out) / len(grams)) ** 0.5
        for gram in grams:
            out["c:" + gram] = weight
    norm = sum(v * v for v in out.values()) ** 0.5
    return {k: v / norm for k, v in out.items()}


@dataclass
class Prediction:
    label: str
    probability: float
    ranked: list[tuple[str, float]]


class LinearModel:
    """Softmax regression over sparse features."""

    def __init__(self, labels: list[str], feature_names: list[str], weights: FloatArray,
                 bias: FloatArray) -> None:
        self.labels = labels
        self.label_index = {label: i for i, label in enumerate(labels)}
        self.feature_names = feature_names
        self.index = {name: i for i, name in enumerate(feature_names)}
        self.weights = weights
        self.bias = bias

    def known(self, feature: str) -> bool:
        return feature in self.index

    def scores(self, feats: dict[str, float]) -> FloatArray:
        rows = [(self.index[k], v) for k, v in feats.items() if k in self.index]
        logits = self.bias.copy()
        if rows:
            idx = np.fromiter((r for r, _ in rows), dtype=np.int64, count=len(rows))
            val = np.fromiter((v for _, v in rows), dtype=np.float32, count=len(rows))
            logits += val @ self.weights[idx]
        return logits

    def predict(self, feats: dict[str, float], allowed: Collection[str]) -> Prediction:
        """The most probable label among ``allowed`` (probabilities renormalised over them)."""
        logits = self.scores(feats)
        ids = [self.label_index[label] for label in allowed if label in self.label_index]
        chosen = logits[ids]
        chosen = np.exp(chosen - chosen.max())
        probs = chosen / chosen.sum()
        order = np.argsort(-probs)
        ranked = [(self.labels[ids[i]], float(probs[i])) for i in order[:5]]
        return Prediction(ranked[0][0], ranked[0][1], ranked)

    # -- persistence --

    def dumps(self, extra: dict[str, object]) -> bytes:
        buffer = io.BytesIO()
        meta = json.dumps({"labels": self.labels, "features": self.feature_names, **extra},
                          ensure_ascii=False)
        np.savez(buffer, weights=self.weights, bias=self.bias,
                 meta=np.frombuffer(meta.encode("utf-8"), dtype=np.uint8))
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> tuple[LinearModel, dict[str, object]]:
        with np.load(io.BytesIO(data)) as arrays:
            weights = arrays["weights"].astype(np.float32)
            bias = arrays["bias"].astype(np.float32)
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        model = cls(list(meta.pop("labels")), list(meta.pop("features")), weights, bias)
        return model, meta


def train(samples: Sequence[tuple[dict[str, float], str]], seed: int = 0,
          epochs: int = EPOCHS) -> LinearModel:
    """Fit a softmax regression to (features, label) pairs."""
    labels = sorted({label for _, label in samples})
    label_index = {label: i for i, label in enumerate(labels)}
    names: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    values: list[float] = []
    y = np.empty(len(samples), dtype=np.int64)
    for n, (feats, label) in enumerate(samples):
        for name, value in feats.items():
            indices.append(names.setdefault(name, len(names)))
            values.append(value)
        indptr.append(len(indices))
        y[n] = label_index[label]
    idx_all = np.asarray(indices, dtype=np.int64)
    val_all = np.asarray(values, dtype=np.float32)
    ptr = np.asarray(indptr, dtype=np.int64)
    n_features, n_classes = len(names), len(labels)
    counts = np.bincount(y, minlength=n_classes).astype(np.float32)
    class_weight = (counts.mean() / np.maximum(counts, 1.0)) ** 0.5

    rng = np.random.default_rng(seed)
    weights = np.zeros((n_features, n_classes), dtype=np.float32)
    bias = np.zeros(n_classes, dtype=np.float32)
    m_w = np.zeros_like(weights)
    v_w = np.zeros_like(weights)
    m_b = np.zeros_like(bias)
    v_b = np.zeros_like(bias)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    step = 0
    lengths_all = ptr[1:] - ptr[:-1]
    for _ in range(epochs):
        # the rows in a new order, as one CSR array: a batch is then a slice of it
        order = rng.permutation(len(samples))
        lengths = lengths_all[order]
        new_ptr = np.concatenate(([0], np.cumsum(lengths)))
        moved = np.repeat(ptr[order] - new_ptr[:-1], lengths) + np.arange(new_ptr[-1])
        idx_epoch, val_epoch, y_epoch = idx_all[moved], val_all[moved], y[order]
        for start in range(0, len(order), BATCH):
            stop = min(start + BATCH, len(order))
            idx = idx_epoch[new_ptr[start] : new_ptr[stop]]
            val = val_epoch[new_ptr[start] : new_ptr[stop]]
            batch_lengths = lengths[start:stop]
            nnz_rows = np.repeat(np.arange(stop - start), batch_lengths)
            starts = new_ptr[start:stop] - new_ptr[start]
            logits = np.add.reduceat(weights[idx] * val[:, None], starts, axis=0) + bias
            logits -= logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            target = y_epoch[start:stop]
            probs[np.arange(stop - start), target] -= 1.0
            grad = probs * class_weight[target][:, None] / (stop - start)
            sort = np.argsort(idx, kind="stable")
            sorted_idx = idx[sort]
            uniq, first = np.unique(sorted_idx, return_index=True)
            g_rows = np.add.reduceat(grad[nnz_rows[sort]] * val[sort][:, None], first, axis=0)
            g_rows += L2 * weights[uniq]
            g_bias = grad.sum(axis=0)
            step += 1
            lr = LEARNING_RATE * (1 - beta2**step) ** 0.5 / (1 - beta1**step)
            m_w[uniq] = beta1 * m_w[uniq] + (1 - beta1) * g_rows
            v_w[uniq] = beta2 * v_w[uniq] + (1 - beta2) * g_rows * g_rows
            weights[uniq] -= lr * m_w[uniq] / (np.sqrt(v_w[uniq]) + eps)
            m_b = beta1 * m_b + (1 - beta1) * g_bias
            v_b = beta2 * v_b + (1 - beta2) * g_bias * g_bias
            bias -= lr * m_b / (np.sqrt(v_b) + eps)
    feature_names = [""] * n_features
    for name, i in names.items():
        feature_names[i] = name
    return LinearModel(labels, feature_names, weights, bias)
