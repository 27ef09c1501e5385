#!/usr/bin/env python3
"""cocotrain's training under torchrun with DistributedDataParallel.

Runs the training a cocotrain config (the resolved config.yaml of a run,
or of `cocotrain export --format torch`) describes, on many CPUs (gloo) or
GPUs (NCCL), and writes checkpoints cocotrain reads back (eval-lfw, embed,
export, export-centers, train --init-from):

    torchrun --nproc_per_node=2 train_ddp.py --config DIR/config.yaml \\
        --init-from DIR/weights.safetensors --data faces/train --out runs/ddp

- the network of model.py, the loss head of losses.py (the formulas of
  cocotrain's internal/loss: coco with alpha auto, normface, cosface,
  arcface, softmax, center);
- SGD (momentum, Nesterov) or AdamW with weight decay off the kinds in
  optim.no_decay, clipping at optim.clip_grad_norm, and the learning-rate
  schedule of optim.schedule (warmup_steps or warmup_epochs, then
  multistep, cosine, poly or constant) as a function of the step, over
  train.epochs × (images // train.batch_size) steps;
- train.batch_size is the global batch: each of the N ranks takes
  batch_size/N images of it; each epoch is a permutation seeded by
  (train.seed, epoch), the last partial batch dropped, as in cocotrain;
- data: an ImageFolder directory (needs Pillow) or a cocotrain .pack file
  (numpy only; `cocotrain pack` makes one from a folder or a .rec),
  preprocessed as cocotrain does (crop or center_crop, bilinear resize,
  RGB or ITU-R 601 grey, (v − 127.5)/127.5), augmented with flip, shift,
  brightness, contrast and grey (the other augment keys are reported and
  not applied);
- --init-from FILE (a cocotrain checkpoint, or weights.safetensors of an
  export): every backbone.* tensor (weights and batch-norm statistics),
  and the head's tensors when FILE's class list is the data's; otherwise
  the head starts from the class means, as cocotrain's --init-from does.
  Without it the network starts from PyTorch's initialisation;
- --partial-fc shards a cosine head's centroids over the ranks and scores
  each step against the positives plus --sample-rate of the other classes
  (An et al. 2021, "Partial FC"); alpha auto then uses K = the classes in
  each step's softmax, which the log states.

Under DDP every rank normalises its batch norms with its own batch of
batch_size/N images (per-rank statistics); the gradients are averaged, so
the rest is cocotrain's step on the global batch. The checkpoint
(OUT/checkpoints/last.safetensors, after every epoch and every
train.ckpt_every steps) holds every backbone and head tensor with
cocotrain's metadata (format, config, step, epoch, classes, rng), not the
optimizer state: cocotrain continues from it with `train --init-from`, not
`--resume`. Needs torch, numpy and PyYAML.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
import yaml
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import losses  # noqa: E402  (beside this file, in the package and in an export folder)
import model  # noqa: E402

FORMAT = "cocotrain-checkpoint-1"  # internal/checkpoint.Format
IMAGE_EXTS = (".jpg", ".jpeg", ".png", ".bmp", ".pgm")
APPLIED_AUGMENT = ("flip", "shift", "brightness", "contrast", "grey")


# ------------------------------------------------------------ data
class ImageFolder:
    """root/<identity>/<image>: non-hidden sub-directories sorted by name,
    their image files sorted, as cocotrain's reader lists them. Items are
    C×S×S uint8 tensors (Pillow decodes)."""

    def __init__(self, root, pre, min_images=0):
        self.root, self.pre = root, pre
        self.classes, self.paths, self.labels = [], [], []
        for name in sorted(os.listdir(root)):
            d = os.path.join(root, name)
            if name.startswith(".") or not os.path.isdir(d):
                continue
            files = sorted(f for f in os.listdir(d) if not f.startswith(".") and f.lower().endswith(IMAGE_EXTS))
            if not files or len(files) < min_images:
                continue
            self.paths += [os.path.join(d, f) for f in files]
            self.labels += [len(self.classes)] * len(files)
            self.classes.append(name)
        if len(self.classes) < 2:
            raise ValueError(f"{root}: {len(self.classes)} identities with images, training needs 2")
        self.crop = None

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        from PIL import Image
        size, ch, crop, cc = self.pre
        img = Image.open(self.paths[i])
        img = img.convert("L" if ch == 1 else "RGB")
        if crop[2] > 0 and crop[3] > 0:
            img = img.crop((crop[0], crop[1], crop[0] + crop[2], crop[1] + crop[3]))
        elif cc > 0:
            w, h = img.size
            cw, chh = min(cc, w), min(cc, h)
            x0, y0 = (w - cw) // 2, (h - chh) // 2
            img = img.crop((x0, y0, x0 + cw, y0 + chh))
        if img.size != (size, size):
            img = img.resize((size, size), Image.BILINEAR)
        a = np.asarray(img, dtype=np.uint8)
        a = a[None] if ch == 1 else a.transpose(2, 0, 1)
        return torch.from_numpy(np.ascontiguousarray(a)), self.labels[i]


class Pack:
    """A cocotrain pack file (docs/data.md): images already preprocessed
    to channels×size×size uint8, memory-mapped."""

    def __init__(self, path):
        raw = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(raw[:8]) != b"COCOPACK":
            raise ValueError(f"{path}: byte 0: not a cocotrain pack file")
        version, self.channels, self.size, k = np.frombuffer(raw[8:24], "<u4")
        n, off = np.frombuffer(raw[24:40], "<u8")
        if version != 2:
            raise ValueError(f"{path}: byte 8: pack version {version}, want 2")
        crop = np.frombuffer(raw[40:60], "<i4")
        self.crop = [int(v) for v in crop[:4]], int(crop[4])
        pos, self.classes = 60, []
        for _ in range(k):
            ln = int(np.frombuffer(raw[pos:pos + 2], "<u2")[0])
            self.classes.append(bytes(raw[pos + 2:pos + 2 + ln]).decode())
            pos += 2 + ln
        self.labels = np.frombuffer(raw[pos:pos + 4 * int(n)], "<u4").astype(np.int64)
        per = int(self.channels) * int(self.size) ** 2
        if len(raw) != int(off) + int(n) * per:
            raise ValueError(f"{path}: {len(raw)} bytes, the header wants {int(off) + int(n) * per}")
        self.pixels = raw[int(off):].reshape(int(n), int(self.channels), int(self.size), int(self.size))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return torch.from_numpy(np.array(self.pixels[i])), int(self.labels[i])


def open_data(path, cfg):
    """The training set at path (a .pack file or an ImageFolder directory)
    preprocessed for cfg's model and data sections."""
    m, d = cfg["model"], cfg["data"]
    if path.endswith(".pack"):
        ds = Pack(path)
        if (ds.channels, ds.size) != (m["channels"], m["input_size"]):
            raise ValueError(f"{path}: images are {ds.channels}×{ds.size}×{ds.size}, the model wants "
                             f"{m['channels']}×{m['input_size']}×{m['input_size']}: repack")
        return ds
    if path.endswith(".rec"):
        raise ValueError(f"{path}: train_ddp reads a .rec through a pack: cocotrain pack --data {path} --out train.pack")
    pre = (m["input_size"], m["channels"], list(d.get("crop") or [0, 0, 0, 0]), int(d.get("center_crop") or 0))
    return ImageFolder(path, pre, int(d.get("min_images_per_class") or 0))


def augment(x, aug, gen):
    """x: B×C×S×S uint8 → float32 normalised to −1..1, with flip, shift
    (edge replicated), contrast about the image mean, brightness, grey."""
    b, c, s, _ = x.shape
    x = x.float()
    u = lambda a: (2 * torch.rand(b, generator=gen) - 1) * a  # noqa: E731
    if aug.get("contrast"):
        mean = x.mean((1, 2, 3), keepdim=True)
        x = (x - mean) * (1 + u(aug["contrast"]))[:, None, None, None] + mean
    if aug.get("brightness"):
        x = x * (1 + u(aug["brightness"]))[:, None, None, None]
    x = x.clamp(0, 255) / 127.5 - 1
    if aug.get("shift"):
        dx, dy = torch.round(u(aug["shift"]) * s).long(), torch.round(u(aug["shift"]) * s).long()
        i = torch.arange(s)
        cols = (i[None] - dx[:, None]).clamp(0, s - 1)  # B×S
        rows = (i[None] - dy[:, None]).clamp(0, s - 1)
        x = x.gather(2, rows[:, None, :, None].expand(b, c, s, s))
        x = x.gather(3, cols[:, None, None, :].expand(b, c, s, s))
    if aug.get("flip"):
        f = torch.rand(b, generator=gen) < 0.5
        x[f] = x[f].flip(3)
    if aug.get("grey") and c == 3:
        g = torch.rand(b, generator=gen) < aug["grey"]
        luma = (0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, None]
        x = torch.where(g[:, None, None, None], luma.expand_as(x), x)
    return x


def epoch_batches(n, batch, seed, epoch):
    """The global batches of an epoch: a permutation of n seeded by (seed,
    epoch), cut into n // batch batches (the rest dropped)."""
    g = torch.Generator().manual_seed(int(seed) * 1000003 + epoch)
    perm = torch.randperm(n, generator=g)
    return [perm[i * batch:(i + 1) * batch] for i in range(n // batch)]


# ---------------------------------------------- optimizer and schedule
def param_kind(module, name):
    """internal/params' kind of a network parameter, for optim.no_decay."""
    if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return "norm"
    if isinstance(module, nn.PReLU):
        return "prelu"
    return "bias" if name == "bias" else "weight"


def named_trainable(net, head):
    """(checkpoint name, parameter, kind) of every trainable tensor, the
    backbone's first."""
    out = []
    for mname, mod in net.named_modules():
        for pname, p in mod.named_parameters(recurse=False):
            if p.requires_grad:
                out.append((f"backbone.{mname}.{pname}".replace("..", "."), p, param_kind(mod, pname)))
    for name, p in head.named_parameters():
        out.append(("head." + name, p, losses.HEAD_KINDS[name]))
    return out


def make_optimizer(ocfg, trainable):
    """torch.optim.SGD (dampening 0) or AdamW over two groups: decayed, and
    the kinds in optim.no_decay."""
    exempt = set(ocfg.get("no_decay", ["norm", "bias", "prelu"]) or [])
    wd = float(ocfg.get("weight_decay", 5e-4))
    groups = [{"params": [p for _, p, k in trainable if k not in exempt], "weight_decay": wd},
              {"params": [p for _, p, k in trainable if k in exempt], "weight_decay": 0.0}]
    lr = float(ocfg.get("lr", 0.1))
    if ocfg.get("name", "sgd") == "adamw":
        return torch.optim.AdamW(groups, lr=lr, betas=(float(ocfg.get("beta1", 0.9)), float(ocfg.get("beta2", 0.999))),
                                 eps=float(ocfg.get("eps", 1e-8)))
    if ocfg.get("name", "sgd") != "sgd":
        raise ValueError(f"optim.name {ocfg.get('name')!r}: want sgd or adamw")
    return torch.optim.SGD(groups, lr=lr, momentum=float(ocfg.get("momentum", 0.9)), nesterov=bool(ocfg.get("nesterov")))


def round_half_up(v):
    return int(math.floor(v + 0.5))


class Schedule:
    """internal/optim's Schedule: LR(step) for a run of total steps with
    spe steps per epoch."""

    def __init__(self, scfg, base, spe, total):
        self.c, self.base, self.total = scfg, float(base), total
        self.warmup = int(scfg.get("warmup_steps") or 0)
        if float(scfg.get("warmup_epochs") or 0) > 0:
            self.warmup = round_half_up(float(scfg["warmup_epochs"]) * spe)
        self.milestones = [round_half_up(float(m) * spe) for m in (scfg.get("milestones") or [])]
        if self.warmup >= total:
            raise ValueError(f"optim.schedule: warmup of {self.warmup} steps is not shorter than the run ({total} steps)")

    def lr(self, step):
        if step < self.warmup:
            return self.base * (step + 1) / self.warmup
        t, T = step - self.warmup, self.total - self.warmup
        frac = min(t / T, 1.0) if T > 0 else 1.0
        lo, kind = float(self.c.get("min_lr") or 0), self.c.get("kind", "cosine")
        if kind == "multistep":
            return self.base * float(self.c.get("gamma", 0.1)) ** sum(step >= m for m in self.milestones)
        if kind == "cosine":
            return lo + (self.base - lo) * (1 + math.cos(math.pi * frac)) / 2
        if kind == "poly":
            return lo + (self.base - lo) * (1 - frac) ** float(self.c.get("power", 2))
        return self.base


def clip_grad_norm(shared, local, max_norm):
    """torch.nn.utils.clip_grad_norm_ over the gradients of shared (the same
    on every rank) and local (a shard per rank: partial FC): returns the
    global norm (float64) and scales every gradient by max/(norm + 1e−6)
    when that is below 1 (max_norm 0: only measures)."""
    sq = sum((p.grad.double() ** 2).sum() for p in shared if p.grad is not None)
    if local:
        part = sum((p.grad.double() ** 2).sum() for p in local if p.grad is not None) + torch.zeros((), dtype=torch.float64, device=local[0].device)
        dist.all_reduce(part)
        sq = sq + part
    norm = float(torch.as_tensor(sq).sqrt())
    if max_norm > 0 and math.isfinite(norm) and max_norm / (norm + 1e-6) < 1:
        for p in list(shared) + list(local):
            if p.grad is not None:
                p.grad.mul_(max_norm / (norm + 1e-6))
    return norm


def train_step(forward, head, opt, trainable, x, y, lr, max_norm, after_backward=None, local=()):
    """One cocotrain step: forward, head loss, backward, (after_backward:
    the ranks' head gradients), clipping, optimizer step at lr, then the
    center head's centre update. Returns (loss, accuracy, gradient norm);
    a non-finite loss or norm raises before anything changes."""
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad(set_to_none=False)
    emb = forward(x)
    loss, acc = head(emb, y)
    if not math.isfinite(loss.item()):
        raise FloatingPointError(f"loss is {loss.item()}: lower optim.lr, add a warmup or optim.clip_grad_norm")
    loss.backward()
    if after_backward:
        after_backward()
    ids = {id(p) for p in local}
    norm = clip_grad_norm([p for p in trainable if id(p) not in ids], list(local), max_norm)
    if not math.isfinite(norm):
        raise FloatingPointError(f"gradient norm is {norm}: lower optim.lr, add a warmup or optim.clip_grad_norm")
    opt.step()
    if hasattr(head, "update"):
        f, labels = emb.detach(), y
        if dist.is_initialized() and dist.get_world_size() > 1:
            f, labels = torch.cat(losses._all_gather(f)), torch.cat(losses._all_gather(y))
        head.update(f, labels)
    return loss.item(), acc.item(), norm


# ----------------------------------------------------- checkpoints
def write_safetensors(path, tensors, metadata):
    """safetensors file of F32 tensors (name → numpy array) and string
    metadata, written to a temporary file and renamed."""
    header, offset = {"__metadata__": metadata}, 0
    names = sorted(tensors)
    for n in names:
        size = tensors[n].size * 4
        header[n] = {"dtype": "F32", "shape": list(tensors[n].shape), "data_offsets": [offset, offset + size]}
        offset += size
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    tmp = os.path.join(os.path.dirname(path) or ".", "." + os.path.basename(path) + ".tmp")
    with open(tmp, "wb") as f:
        f.write(len(h).to_bytes(8, "little") + h)
        for n in names:
            f.write(np.ascontiguousarray(tensors[n], dtype="<f4").tobytes())
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def head_state(head):
    """The head's tensors by checkpoint name; a partial-FC head's shards
    gathered from every rank (a collective: all ranks call it)."""
    if not isinstance(head, losses.PartialFCHead):
        return {"head." + k: v.detach().cpu().numpy() for k, v in head.state_dict().items()}
    c = head.centroids.detach()
    per = (head.k + dist.get_world_size() - 1) // dist.get_world_size()
    pad = torch.zeros(per, c.shape[1], device=c.device, dtype=c.dtype)
    pad[:c.shape[0]] = c
    parts = losses._all_gather(pad)
    return {"head.centroids": torch.cat(parts)[:head.k].cpu().numpy()}


def init_from(path, net, head, classes, log):
    """Loads path's backbone (strict) and, when its class list is the
    data's and its head tensors fit, the head."""
    meta, t = model.read_safetensors(path)
    model.load_backbone(net, t, path)
    log(f"init_from {path}: {sum(1 for k in t if k.startswith('backbone.'))} backbone tensors")
    try:
        same = json.loads(meta.get("classes", "null")) == classes
    except ValueError:
        same = False
    want = {"head." + k: v for k, v in head.state_dict().items()}
    if isinstance(head, losses.PartialFCHead):
        want = {"head.centroids": torch.empty(head.k, head.centroids.shape[1])}
    if not same or any(k not in t or tuple(t[k].shape) != tuple(v.shape) for k, v in want.items()):
        log(f"init_from: {'other classes' if not same else 'other head tensors'} than the data's {len(classes)}: the head starts from the class means")
        return False
    with torch.no_grad():
        for k, v in want.items():
            src = torch.from_numpy(np.array(t[k]))
            if isinstance(head, losses.PartialFCHead):
                src = src[head.lo:head.hi]
            dict(head.named_parameters()).get(k[5:], dict(head.named_buffers()).get(k[5:])).copy_(src)
    log(f"init_from: head tensors {sorted(want)} loaded (same {len(classes)} classes)")
    return True


@torch.no_grad()
def head_from_means(net, head, ds, lcfg, device, workers, batch=64):
    """Sets the head from the class means of the embeddings, as cocotrain's
    train --init-from does (docs/train.md): every image once, without
    augmentation, the network in eval mode, the images split over the
    ranks and the sums all-reduced. With ĉ_k the normalised mean of class
    k's normalised embeddings: centroids ĉ_k; a softmax weight (softmax,
    center, coco's aux) (α/m̄)·ĉ_k with α = auto_alpha(K, loss.epsilon) and
    m̄ the mean embedding norm, bias 0; center's centres the raw means. A
    class without images keeps its row. Returns the number of images."""
    rank, world = dist.get_rank(), dist.get_world_size()
    k = len(ds.classes)
    idx = list(range(rank, len(ds), world))
    loader = torch.utils.data.DataLoader(ds, batch_sampler=[idx[i:i + batch] for i in range(0, len(idx), batch)], num_workers=workers)
    net.eval()
    unit = raw = None
    count = torch.zeros(k, dtype=torch.float64, device=device)
    norms = torch.zeros(1, dtype=torch.float64, device=device)
    for xb, yb in loader:
        e = net((xb.float() / 127.5 - 1).to(device)).double()
        y = torch.as_tensor(yb, dtype=torch.long).to(device)
        if unit is None:
            unit = torch.zeros(k, e.shape[1], dtype=torch.float64, device=device)
            raw = torch.zeros_like(unit)
        n = e.norm(dim=1)
        unit.index_add_(0, y, e / n.clamp_min(losses.NORM_EPS)[:, None])
        raw.index_add_(0, y, e)
        count.index_add_(0, y, torch.ones_like(n))
        norms += n.sum()
    net.train()
    if unit is None:  # this rank had no image; the others' sums arrive below
        unit = torch.zeros(k, int(head.centroids.shape[1] if hasattr(head, "centroids") else head.weight.shape[1]), dtype=torch.float64, device=device)
        raw = torch.zeros_like(unit)
    for t in (unit, raw, count, norms):
        dist.all_reduce(t)
    have = count > 0
    chat = F.normalize(unit, dim=1, eps=losses.NORM_EPS)
    if isinstance(head, losses.PartialFCHead):
        rows = torch.arange(head.lo, head.hi, device=device)
        rows = rows[have[rows]]
        head.centroids[rows - head.lo] = chat[rows].float()
        return int(count.sum().item())
    scaled = chat * (losses.auto_alpha(k, float(lcfg.get("epsilon", 0.99))) / (norms / count.sum()))
    sets = {"centroids": chat, "weight": scaled, "aux.weight": scaled, "bias": None, "aux.bias": None}
    params = dict(head.named_parameters())
    for name, v in sets.items():
        if name in params:
            if v is None:
                params[name][have] = 0
            else:
                params[name][have] = v[have].float()
    if hasattr(head, "centers"):
        head.centers[have] = (raw[have] / count[have][:, None]).float()
    return int(count.sum().item())


# ------------------------------------------------------------ main
def parse_args(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default=os.path.join(here, "config.yaml"), help="cocotrain config (default: config.yaml beside this file)")
    p.add_argument("--data", help="ImageFolder directory or .pack file (default: the config's data.path)")
    p.add_argument("--init-from", help="cocotrain checkpoint or weights.safetensors to start from (default: scratch)")
    p.add_argument("--out", required=True, help="run directory: config.yaml, training.log, metrics.jsonl, checkpoints/last.safetensors")
    p.add_argument("--epochs", type=int, help="train.epochs (default: the config's)")
    p.add_argument("--batch-size", type=int, help="train.batch_size, the global batch (default: the config's)")
    p.add_argument("--partial-fc", action="store_true", help="shard the cosine head over the ranks with sampled negatives")
    p.add_argument("--sample-rate", type=float, default=0.1, help="partial FC: share of the other classes scored per step (default 0.1)")
    p.add_argument("--workers", type=int, default=2, help="data-loading processes per rank (default 2)")
    return p.parse_args(argv)


def setup_dist():
    """Joins the torchrun group (or makes a group of one): NCCL on GPUs,
    gloo on CPUs. Returns (rank, world, device)."""
    if "RANK" not in os.environ:
        os.environ.update(RANK="0", WORLD_SIZE="1", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1")
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            os.environ["MASTER_PORT"] = str(s.getsockname()[1])
    cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"])) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    return dist.get_rank(), dist.get_world_size(), device


def main(argv=None):
    """Trains as the module doc says, then ends the process (os._exit)."""
    args = parse_args(argv)
    rank, world, device = setup_dist()
    with open(args.config) as f:
        cfg = yaml.safe_load(f)
    t = cfg.setdefault("train", {})
    if args.epochs is not None:
        t["epochs"] = args.epochs
    if args.batch_size is not None:
        t["batch_size"] = args.batch_size
    data_path = os.path.abspath(args.data or cfg["data"].get("path") or "")
    if not (args.data or cfg["data"].get("path")):
        raise SystemExit("train_ddp: no data: pass --data (an ImageFolder directory or a .pack file)")
    cfg["data"]["path"] = data_path
    batch, seed, epochs = int(t.get("batch_size", 128)), int(t.get("seed", 1)), int(t.get("epochs", 1))
    if batch % world:
        raise SystemExit(f"train_ddp: train.batch_size {batch} is not a multiple of the {world} ranks")
    os.makedirs(os.path.join(args.out, "checkpoints"), exist_ok=True)
    logf = open(os.path.join(args.out, "training.log"), "a") if rank == 0 else None

    def log(msg):
        if rank == 0:
            line = time.strftime("%Y-%m-%dT%H:%M:%SZ ", time.gmtime()) + msg
            print(line, flush=True)
            logf.write(line + "\n")
            logf.flush()

    ds = open_data(data_path, cfg)
    if isinstance(ds, Pack) and not any(cfg["data"].get("crop") or []) and not cfg["data"].get("center_crop"):
        cfg["data"]["crop"], cfg["data"]["center_crop"] = ds.crop  # eval-lfw and embed apply the pack's crop
    classes = list(ds.classes)
    aug = cfg["data"].get("augment") or {}
    skipped = [k for k, v in aug.items() if k not in APPLIED_AUGMENT and k != "blur_sigma" and k != "erase_area" and v]
    if skipped:
        log(f"data.augment: {', '.join(skipped)} not applied by train_ddp (it applies {', '.join(APPLIED_AUGMENT)})")
    for key in ("exclude_pairs", "balanced"):
        if cfg["data"].get(key):
            log(f"data.{key} is not applied by train_ddp: leave those identities out of the folder or pack")
    if int(t.get("freeze_backbone_steps") or 0) > 0:
        log("train.freeze_backbone_steps is not applied by train_ddp: every step trains everything")

    torch.manual_seed(seed)
    net = model.build(cfg["model"])
    lcfg = cfg["loss"]
    d, k = int(cfg["model"]["embedding_dim"]), len(classes)
    if args.partial_fc:
        head = losses.PartialFCHead(lcfg, d, k, args.sample_rate, rank, world, torch.Generator().manual_seed(seed * 7919 + rank))
        log(f"partial FC: {k} classes over {world} ranks (rank 0 holds {head.hi - head.lo}), sample rate {args.sample_rate}: "
            f"{head.k_softmax} centroids in each step's softmax (more when a rank holds more of a batch's classes); "
            f"{lcfg['type']} scale {head.s:.4f}"
            + (f" = alpha auto at K = {head.k_softmax}, epsilon {lcfg.get('epsilon', 0.99)}" if lcfg["type"] == "coco" and str(lcfg.get("alpha", "auto")) == "auto" else ""))
    else:
        head = losses.build_head(lcfg, d, k)
        if hasattr(head, "s"):
            log(f"{lcfg['type']} head over K = {k} classes, scale {head.s:.4f}")
    head_loaded = bool(args.init_from) and init_from(args.init_from, net, head, classes, log)
    trainable = named_trainable(net, head)
    net.to(device)
    head.to(device)
    if args.init_from and not head_loaded:
        t0 = time.time()
        n = head_from_means(net, head, ds, lcfg, device, args.workers if isinstance(ds, ImageFolder) else 0)
        log(f"init_from: the head set from the class means of {n} images in {len(classes)} classes, one eval-mode pass without augmentation ({time.time() - t0:.1f}s)")
    opt = make_optimizer(cfg["optim"], trainable)
    ddp = nn.parallel.DistributedDataParallel(net, device_ids=[device.index] if device.type == "cuda" else None)
    head_params = [p for _, p, _ in trainable if any(p is q for q in head.parameters())]
    if not args.partial_fc and world > 1:
        for p in list(head.parameters()) + list(head.buffers()):  # the same start on every rank
            dist.broadcast(p.data, 0)

    def sync_head():  # the mean of the ranks' head gradients, as DDP does for the backbone
        if args.partial_fc or world == 1:
            return
        for p in head_params:
            dist.all_reduce(p.grad)
            p.grad.div_(world)

    spe = len(ds) // batch
    if spe == 0:
        raise SystemExit(f"train_ddp: {len(ds)} images make no batch of {batch}")
    total = epochs * spe
    sched = Schedule(cfg["optim"].get("schedule") or {}, cfg["optim"].get("lr", 0.1), spe, total)
    log(f"model {cfg['model']['arch']}, loss {lcfg['type']} over {k} classes; {len(ds)} images from {data_path}, "
        f"{spe} steps per epoch of {batch} ({batch // world} per rank × {world} ranks, {dist.get_backend()}), {total} in all")
    cfg_yaml = yaml.safe_dump(cfg, sort_keys=False)
    if rank == 0:
        with open(os.path.join(args.out, "config.yaml"), "w") as f:
            f.write(cfg_yaml)
    metrics = open(os.path.join(args.out, "metrics.jsonl"), "a") if rank == 0 else None
    ddp_info = json.dumps({"world_size": world, "backend": dist.get_backend(), "partial_fc": bool(args.partial_fc),
                           "sample_rate": args.sample_rate if args.partial_fc else 1.0,
                           "init_from": os.path.abspath(args.init_from) if args.init_from else ""})

    def save(step):
        state = {"backbone." + kk: v.detach().cpu().numpy() for kk, v in net.state_dict().items() if not kk.endswith("num_batches_tracked")}
        state.update(head_state(head))
        if rank != 0:
            return
        meta = {"format": FORMAT, "config": cfg_yaml, "step": str(step), "epoch": str(step // spe),
                "classes": json.dumps(classes), "data_digest": "",
                "rng": json.dumps({"seed": seed, "epoch": step // spe, "batch": step % spe}),
                "best_val_accuracy": "", "val_accuracy": "", "ddp": ddp_info}
        path = os.path.join(args.out, "checkpoints", "last.safetensors")
        write_safetensors(path, state, meta)
        log(f"step {step}: wrote {path}")

    gen = torch.Generator().manual_seed(seed * 1000003 + 17 * rank + 1)
    log_every, ckpt_every = int(t.get("log_every") or 10), int(t.get("ckpt_every") or 0)
    per = batch // world
    net.train()
    head.train()
    step, win, t0 = 0, torch.zeros(3, dtype=torch.float64), time.time()
    for epoch in range(epochs):
        mine = [b[rank * per:(rank + 1) * per].tolist() for b in epoch_batches(len(ds), batch, seed, epoch)]
        loader = torch.utils.data.DataLoader(ds, batch_sampler=mine, num_workers=args.workers if isinstance(ds, ImageFolder) else 0)
        for xb, yb in loader:
            x = augment(xb, aug, gen).to(device, non_blocking=True)
            y = torch.as_tensor(yb, dtype=torch.long).to(device)
            lossv, acc, _ = train_step(ddp, head, opt, [p for _, p, _ in trainable], x, y, sched.lr(step),
                                       float(cfg["optim"].get("clip_grad_norm") or 0), sync_head,
                                       head_params if args.partial_fc else ())
            step += 1
            win += torch.tensor([lossv, acc, 1.0], dtype=torch.float64)
            if step % log_every == 0 or step == total:
                win = win.to(device)  # NCCL reduces GPU tensors only
                dist.all_reduce(win)
                win = win.cpu()
                n = win[2].item()
                m = {"step": step, "epoch": step / spe, "lr": sched.lr(step - 1), "loss": win[0].item() / n,
                     "acc": win[1].item() / n, "images_per_s": batch * n / world / (time.time() - t0)}
                log(f"step {step}/{total} epoch {m['epoch']:.2f} lr {m['lr']:.4g} loss {m['loss']:.4f} acc {m['acc']:.4f} {m['images_per_s']:.0f} images/s")
                if metrics:
                    metrics.write(json.dumps(m) + "\n")
                    metrics.flush()
                win, t0 = torch.zeros(3, dtype=torch.float64), time.time()
            if ckpt_every and step % ckpt_every == 0 and step % spe:
                save(step)
        save(step)
    log(f"finished {step} steps")
    dist.barrier()
    for f in (logf, metrics):
        if f:
            f.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without tearing torch down: in torch 1.13 with gloo, freeing the
    # DDP reducer destroys the process group, whose destructor joins a gloo
    # worker thread that is freeing a tensor and waits for the GIL this
    # thread holds (a deadlock seen in 2 of 8 runs of the round-trip test).
    os._exit(0)


if __name__ == "__main__":
    main()
