"""Writes the TorchScript test fixtures: a small character-level causal language model
(`char_lm.pt`, about 33k parameters, context 128), and three tiny models that each break one
rule of the contract below (`wrong_vocab.pt`, `no_context_length.pt`, `not_causal.pt`).

Regenerate (from the repository root, with Debian's Python and its PyTorch,
`apt-get install python3-torch`):

    /usr/bin/python3 gpu-workers/scripts/make_torchscript_fixture.py \
        gpu-workers/src/test/resources/torchscript

The seed and the string hash seed are fixed, so the same PyTorch version writes the same
bytes (TorchScript writes a module's constants in set order, which follows string hashes).

The contract a user's TorchScript model must meet to be trained by Autodidact
(`--set model.torchscript=PATH`):

* It is a `torch.jit.ScriptModule` saved with `torch.jit.save`. Script it (`torch.jit.script`):
  tracing freezes shapes seen in the example input (such as the `T` of `torch.arange`).
* `forward(ids)` takes one int64 tensor `[B, T]` of token ids and returns float32 logits
  `[B, T, V]`: position t predicts the token after `ids[:, t]`, from `ids[:, :t+1]` only
  (causal). Rows are right-padded with id 0 and always start at position 0, so a position's
  logits must not depend on later positions. `B` and `T` vary from call to call
  (1 <= T <= the context length).
* `V` is the vocabulary of Autodidact's character tokenizer, 99 ids: 0 PAD, 1 BOS, 2 EOS,
  3 newline, then printable ASCII 32..126 as 4..98. It is read from the logits' last axis.
* It exports `context_length() -> int`, the longest `T` it accepts (decorate the method with
  `@torch.jit.export`; a traced model must be wrapped in a scripted one to get it).
* Every parameter is a float32 tensor. The model runs in eval mode throughout (dropout off),
  so the log-probs it is trained on are the ones it sampled with. Parameters of rank >= 2
  get weight decay, others (biases, norms) do not. A parameter shared by two submodules
  (tied weights) is trained once.
* Loading checks all of this with two forward passes (a full-context row and its first half).
  The file's bytes are copied into every checkpoint, so a run never reads the file again.
"""

import os
import sys

import torch
from torch import nn
from torch.nn import functional as F
from typing import Final

VOCAB = 99
CONTEXT = 128
WIDTH = 32
LAYERS = 2
HEADS = 2
SEED = 20240604


class Block(nn.Module):
    """A pre-LayerNorm transformer block with causal self-attention."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.fc = nn.Linear(width, 4 * width)
        self.out = nn.Linear(4 * width, width)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, c = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
        # [B, T, C] -> [B, H, T, C / H]
        q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
        scores = q @ k.transpose(2, 3) / (c // self.heads) ** 0.5 + mask  # [B, H, T, T]
        y = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class CharLM(nn.Module):
    """Token and position embeddings, blocks, final LayerNorm, output head tied to the input."""

    causal: Final[bool]

    def __init__(self, vocab=VOCAB, context=CONTEXT, width=WIDTH, layers=LAYERS, causal=True):
        super().__init__()
        self.context = context
        self.causal = causal
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.blocks = nn.ModuleList([Block(width, HEADS) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab, bias=False)
        # Tied on purpose: the loader must train a shared parameter once.
        self.head.weight = self.wte.weight
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                nn.init.normal_(p, std=0.02)

    @torch.jit.export
    def context_length(self) -> int:
        return self.context

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        t = ids.shape[1]
        positions = torch.arange(t, device=ids.device)
        # Additive causal mask: query i sees keys 0..i.
        mask = torch.full((t, t), float("-inf"), device=ids.device).triu(1)
        if not self.causal:
            mask = torch.zeros_like(mask)
        x = self.wte(ids) + self.wpe(positions)
        for block in self.blocks:
            x = block(x, mask)
        return self.head(self.ln_f(x))  # [B, T, V]


class WithoutContextLength(nn.Module):
    """Breaks the contract: exports no context_length()."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.model(ids)


def save(model: nn.Module, path: str) -> None:
    scripted = torch.jit.script(model.eval())
    torch.jit.save(scripted, path)
    count = sum(p.numel() for p in model.parameters())
    print(f"wrote {path}: {count} parameters")


def main(out_dir: str) -> None:
    torch.manual_seed(SEED)
    model = CharLM()
    assert model(torch.tensor([[1, 40, 41, 2]])).shape == (1, 4, VOCAB)
    save(model, os.path.join(out_dir, "char_lm.pt"))
    tiny = dict(context=16, width=8, layers=1)
    save(CharLM(vocab=50, **tiny), os.path.join(out_dir, "wrong_vocab.pt"))
    save(WithoutContextLength(CharLM(**tiny)), os.path.join(out_dir, "no_context_length.pt"))
    save(CharLM(causal=False, **tiny), os.path.join(out_dir, "not_causal.pt"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_torchscript_fixture.py OUT_DIR")
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})
    main(sys.argv[1])
