"""cocotrain's loss heads in plain PyTorch, with the formulas of
internal/loss (docs/loss.md), and the CoCo head sharded across ranks with
sampled negatives (partial FC, An et al. 2021).

Every head maps a batch of embeddings f (B×d) and labels y (B) to
(loss, batch accuracy) and names its tensors as cocotrain's checkpoints do
("head.centroids", "head.weight", ...), so state_dict() of a head with the
"head." prefix is a checkpoint's head. With x̂ = f / max(‖f‖, 1e−6) and
ĉ_k likewise:

    coco      z = α · cos                       α = auto_alpha(K, ε) or loss.alpha
    normface  z = s · cos
    cosface   z_y = s · (cos_y − m)
    arcface   z_y = s · cos(θ_y + m), insightface's fallback past π − m
    softmax   z = W f + b
    center    softmax + λ·(1/2B)·Σ‖f_i − c_{y_i}‖², centres moved by Wen et al.'s rule

and the loss is the batch mean of the softmax cross-entropy of z. Needs
torch only.
"""
import math

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn

NORM_EPS = 1e-6        # loss.NormEps
ARC_SIN_SQ_MIN = 1e-12  # loss.arcSinSqMin

# Parameter kinds (internal/params) of the heads' tensors, for optim.no_decay.
HEAD_KINDS = {"centroids": "center", "weight": "center", "bias": "bias",
              "aux.weight": "center", "aux.bias": "bias"}


def auto_alpha(k, eps):
    """CoCo's automatic scale: ((K−1)/K)·ln((K−1)·ε/(1−ε)), 1 for K = 1;
    ε must lie in (1/K, 1)."""
    if k == 1:
        return 1.0
    r = (k - 1) * eps / (1 - eps)
    if not (0 < eps < 1 and r > 1):
        raise ValueError(f"loss.epsilon {eps} must be in (1/K, 1) = ({1 / k}, 1) for alpha auto with {k} classes")
    return (k - 1) / k * math.log(r)


def scale_of(cfg, k):
    """The logit scale of a cosine head: α for coco (auto over k classes),
    s (default 64) for the others."""
    if cfg["type"] == "coco":
        a = str(cfg.get("alpha", "auto")).strip()
        return auto_alpha(k, float(cfg.get("epsilon", 0.99))) if a in ("", "auto") else float(a)
    return float(cfg.get("s") or 64.0)


def margin_of(cfg):
    m = float(cfg.get("m") or 0.0)
    return {"cosface": m or 0.35, "arcface": m or 0.5}.get(cfg["type"], 0.0)


def target_logit(cos_t, kind, m):
    """The margin-adjusted target cosine φ(cos_y) of internal/loss."""
    if kind == "cosface":
        return cos_t - m
    if kind == "arcface":
        c = cos_t.clamp(-1, 1)
        sin = torch.sqrt(torch.clamp(1 - c * c, min=ARC_SIN_SQ_MIN))
        phi = c * math.cos(m) - sin * math.sin(m)
        return torch.where(c > math.cos(math.pi - m), phi, c - math.sin(math.pi - m) * m)
    return cos_t


class CosineHead(nn.Module):
    """coco, normface, cosface, arcface over all K classes (centroids K×d);
    coco's aux_softmax_weight adds w × a softmax on the raw feature."""

    def __init__(self, cfg, d, k):
        super().__init__()
        self.kind, self.s, self.m = cfg["type"], scale_of(cfg, k), margin_of(cfg)
        self.centroids = nn.Parameter(F.normalize(torch.randn(k, d), dim=1))
        self.aux_w = float(cfg.get("aux_softmax_weight") or 0.0) if self.kind == "coco" else 0.0
        if self.aux_w > 0:
            self.aux = nn.Linear(d, k)

    def forward(self, f, y):
        cos = F.normalize(f, dim=1, eps=NORM_EPS) @ F.normalize(self.centroids, dim=1, eps=NORM_EPS).T
        c64 = cos.double()  # logits and softmax in float64, as internal/loss
        z = self.s * c64.scatter(1, y[:, None], target_logit(c64.gather(1, y[:, None]), self.kind, self.m))
        loss = F.cross_entropy(z, y)
        if self.aux_w > 0:
            loss = loss + self.aux_w * F.cross_entropy(self.aux(f).double(), y)
        return loss, (cos.argmax(1) == y).double().mean()


class SoftmaxHead(nn.Module):
    """softmax: z = W f + b (head.weight K×d, head.bias K)."""

    def __init__(self, cfg, d, k):
        super().__init__()
        lin = nn.Linear(d, k)
        self.weight, self.bias = lin.weight, lin.bias

    def forward(self, f, y):
        z = f @ self.weight.T + self.bias
        return F.cross_entropy(z.double(), y), (z.argmax(1) == y).double().mean()


class CenterHead(SoftmaxHead):
    """softmax + center loss (Wen et al. 2016); head.centers is a buffer
    moved by update() after each backward pass, over the global batch."""

    def __init__(self, cfg, d, k):
        super().__init__(cfg, d, k)
        self.lam, self.rate = float(cfg.get("center_lambda", 0.003)), float(cfg.get("center_alpha", 0.5))
        self.register_buffer("centers", torch.zeros(k, d))

    def forward(self, f, y):
        loss, acc = super().forward(f, y)
        return loss + self.lam * ((f - self.centers[y]) ** 2).sum().double() / (2 * f.shape[0]), acc

    @torch.no_grad()
    def update(self, f, y):
        """c_j += α·Σ_{i: y_i=j}(f_i − c_j)/(1 + n_j) over the batch (f, y):
        pass the global batch (every rank's) so that all ranks agree."""
        diff = f - self.centers[y]
        n = torch.bincount(y, minlength=self.centers.shape[0]).to(f.dtype)
        step = (self.rate / (1 + n))[y][:, None]
        self.centers.index_add_(0, y, step * diff)


HEADS = {"coco": CosineHead, "normface": CosineHead, "cosface": CosineHead,
         "arcface": CosineHead, "softmax": SoftmaxHead, "center": CenterHead}


def build_head(cfg, d, k):
    """The head a config's loss section (a dict) describes over k classes."""
    if cfg["type"] not in HEADS:
        raise ValueError(f"loss.type {cfg['type']!r}: want one of {sorted(HEADS)}")
    return HEADS[cfg["type"]](cfg, d, k)


# ------------------------------------------------------ partial FC
def shard_range(k, rank, world):
    """The classes [lo, hi) rank holds of k split over world ranks."""
    per = (k + world - 1) // world
    return min(rank * per, k), min((rank + 1) * per, k)


class _GatherRows(torch.autograd.Function):
    """all_gather of equal B×d blocks along dim 0. Backward sums the
    gradient of every rank's copy and keeps this rank's rows, times the
    world size: DistributedDataParallel then averages the backbone's
    gradients over the ranks, which brings it back to the gradient of the
    global batch mean."""

    @staticmethod
    def forward(ctx, x):
        world = dist.get_world_size()
        parts = [torch.empty_like(x) for _ in range(world)]
        dist.all_gather(parts, x.contiguous())
        ctx.rank, ctx.b, ctx.world = dist.get_rank(), x.shape[0], world
        return torch.cat(parts)

    @staticmethod
    def backward(ctx, g):
        g = g.contiguous()
        dist.all_reduce(g)
        return g[ctx.rank * ctx.b:(ctx.rank + 1) * ctx.b] * ctx.world


class _DistCrossEntropy(torch.autograd.Function):
    """Mean softmax cross-entropy of logits split by columns over ranks:
    z (B×S_r, float64) holds this rank's columns, t (B) the column of the
    target where this rank holds it, else −1."""

    @staticmethod
    def forward(ctx, z, t):
        zmax = z.max(1).values if z.shape[1] else torch.full((z.shape[0],), -math.inf, dtype=z.dtype, device=z.device)
        dist.all_reduce(zmax, op=dist.ReduceOp.MAX)
        e = torch.exp(z - zmax[:, None])
        total = e.sum(1)
        dist.all_reduce(total)
        p = e / total[:, None]
        mine = t >= 0
        pt = torch.zeros(z.shape[0], dtype=z.dtype, device=z.device)
        pt[mine] = p[mine, t[mine]]
        dist.all_reduce(pt)
        ctx.save_for_backward(p, t)
        return -torch.log(pt.clamp_min(1e-300)).mean()

    @staticmethod
    def backward(ctx, g):
        p, t = ctx.saved_tensors
        grad = p.clone()
        mine = (t >= 0).nonzero().squeeze(1)
        grad[mine, t[mine]] -= 1
        return grad * (g / p.shape[0]), None


class PartialFCHead(nn.Module):
    """A cosine head (coco, normface, cosface, arcface) whose K×d centroids
    are split by rows over the ranks (this rank: head.centroids[lo:hi]).
    Each step gathers every rank's embeddings and labels, and each rank
    scores them against the positive classes it holds plus a random
    `sample_rate` share of its other classes (An et al., "Partial FC",
    2021); the softmax runs over the union of the ranks' samples. With
    sample_rate 1 it is exactly the full head. CoCo's alpha auto uses
    K = the classes in each step's softmax (k_softmax)."""

    def __init__(self, cfg, d, k, sample_rate, rank, world, generator):
        super().__init__()
        if cfg["type"] not in ("coco", "normface", "cosface", "arcface"):
            raise ValueError(f"partial FC shards a cosine head (coco, normface, cosface, arcface), not {cfg['type']!r}")
        if float(cfg.get("aux_softmax_weight") or 0.0) > 0:
            raise ValueError("partial FC cannot shard loss.aux_softmax_weight's softmax: set it to 0")
        self.k, self.lo, self.hi = k, *shard_range(k, rank, world)
        self.num_sample = [max(1, math.ceil(sample_rate * (h - l))) if h > l else 0
                           for l, h in (shard_range(k, r, world) for r in range(world))]
        self.k_softmax = min(k, sum(self.num_sample))
        self.kind, self.m = cfg["type"], margin_of(cfg)
        self.s = scale_of(cfg, self.k_softmax)
        self.sample_rate, self.gen = sample_rate, generator
        # each rank draws its own rows (generator: seeded per rank)
        self.centroids = nn.Parameter(F.normalize(torch.randn(self.hi - self.lo, d, generator=generator), dim=1))

    def sample(self, y_all):
        """The local rows scored this step: the positives held here, then
        random other rows up to num_sample (all rows when rate is 1)."""
        n = self.hi - self.lo
        if self.sample_rate >= 1:
            return torch.arange(n, device=y_all.device)
        pos = torch.unique(y_all[(y_all >= self.lo) & (y_all < self.hi)] - self.lo).cpu()
        want = max(self.num_sample[dist.get_rank()], len(pos))
        score = torch.rand(n, generator=self.gen)
        score[pos] = 2.0  # positives first
        return torch.sort(torch.topk(score, want).indices).values.to(y_all.device)

    def forward(self, f, y):
        f_all = _GatherRows.apply(f)
        y_all = torch.cat(_all_gather(y))
        idx = self.sample(y_all)
        c = F.normalize(self.centroids[idx], dim=1, eps=NORM_EPS)
        cos = F.normalize(f_all, dim=1, eps=NORM_EPS) @ c.T
        # the column of each target in idx, −1 where another rank holds it
        where = torch.full((self.hi - self.lo,), -1, dtype=torch.long, device=idx.device)
        where[idx] = torch.arange(len(idx), device=idx.device)
        t = torch.full_like(y_all, -1)
        held = (y_all >= self.lo) & (y_all < self.hi)
        t[held] = where[y_all[held] - self.lo]
        z = cos.double()
        mine = (t >= 0).nonzero().squeeze(1)
        if len(mine):
            z = z.index_put((mine, t[mine]), target_logit(z[mine, t[mine]], self.kind, self.m))
        loss = _DistCrossEntropy.apply(self.s * z, t)
        return loss, self._accuracy(cos, idx, y_all)

    @torch.no_grad()
    def _accuracy(self, cos, idx, y_all):
        """Top-1 over the sampled centroids of all ranks (float64)."""
        best = cos.max(1) if cos.shape[1] else None
        v = best.values.double() if best else torch.full((cos.shape[0],), -math.inf, dtype=torch.float64, device=cos.device)
        label = (idx[best.indices] + self.lo).double() if best else torch.full_like(v, -1)
        vs, ls = _all_gather(v), _all_gather(label)
        v, arg = torch.stack(vs).max(0)
        label = torch.stack(ls).gather(0, arg[None]).squeeze(0)
        return (label == y_all.double()).double().mean()


def _all_gather(x):
    parts = [torch.empty_like(x) for _ in range(dist.get_world_size())]
    dist.all_gather(parts, x.contiguous())
    return parts
