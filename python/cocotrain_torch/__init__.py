"""cocotrain_torch: cocotrain's networks in plain PyTorch (see model.py)."""
from .model import ARCHS, IResNet18, MobileFaceNet, Small, Tiny, build, load, load_backbone, read_safetensors  # noqa: F401
