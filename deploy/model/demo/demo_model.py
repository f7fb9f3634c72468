"""The demo model's networks, with exactly the component interfaces of a Vega RT export.

- `TextEncoder` (text_encoder): CLIP token ids [B,77] int64 -> hidden states [B,77,D1].
- `TextEncoder` with a projection (text_encoder_2): ids -> (penultimate hidden [B,77,D2], pooled [B,P]).
- `UNet`: (latents [B,4,h,w], timestep fp32 [B], context [B,77,D1+D2], pooled [B,P], time_ids [B,6])
  -> epsilon [B,4,h,w].
- `Decoder` (vae_decoder): latents / scaling_factor [B,4,h,w] -> RGB in [-1,1] [B,3,8h,8w].
- `latent_channels`: RGB -> the four unscaled latent channels; used only to make training targets.

Widths are the real ones divided by 16 (768/1280/2048 -> 48/80/128), so the two encoders' halves of the
context differ and a pipeline that concatenates them in the wrong order feeds the UNet nonsense.

Why the UNet thinks at a fixed 32x32 grid: the scenes are flat shapes, and a 2-core CPU cannot train a
UNet at 64x64 or 128x128 latents in 30 minutes. The UNet averages the noisy latents down to 32x32,
predicts the clean latents there, bilinearly upsamples them to the input size and returns the epsilon
that those clean latents imply, eps = (x - sqrt(abar_t) x0) / sqrt(1 - abar_t). The LCM step inverts
exactly that relation, so the scheduler sees a normal epsilon model. The latent encoder is band-limited
the same way (image -> 32x32 -> upsampled to h x w), and the decoder learned to draw sharp edges from it.
The same weights therefore serve every square size; the clean-latent grid is the same at 512 and 1024.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

VOCAB = 49408
MAX_LENGTH = 77
EOS_ID = 49407
D1, D2, POOLED = 48, 80, 80
GRID = 32
TRAIN_TIMESTEPS = 1000


# Debian's torch 1.13 uses a generic single-threaded BLAS for matmul but oneDNN for convolutions, which
# is 10-15x faster here; dense layers are therefore written as 1x1 convolutions.
# The exported TorchScript keeps this form; it is exact math, only the kernel differs.
class Dense(nn.Linear):
    def forward(self, x):
        shape = x.shape
        y = F.conv2d(x.reshape(-1, shape[-1], 1, 1), self.weight[:, :, None, None], self.bias)
        return y.reshape(shape[:-1] + (self.weight.shape[0],))


def batched_abt(a, b):
    """a [G,n,d] @ b[G,m,d]^T -> [G,n,m]. (A grouped 1x1 convolution is faster forward but its backward falls
    back to a per-group loop; for 77-token attention plain bmm wins.)"""
    return torch.bmm(a, b.transpose(1, 2))


def attend(q, k, v, scale: float):
    """softmax(q k^T * scale) v over [B, heads, n, d] tensors."""
    b, h, n, d = q.shape
    m = k.shape[2]
    att = (batched_abt(q.reshape(b * h, n, d), k.reshape(b * h, m, d)) * scale).softmax(-1)
    return batched_abt(att, v.reshape(b * h, m, d).transpose(1, 2)).reshape(b, h, n, d)


def scaled_linear_alphas_cumprod(beta_start=0.00085, beta_end=0.012, steps=TRAIN_TIMESTEPS):
    """SDXL's noise schedule: betas linear in sqrt space, squared (float32, as diffusers and reference.py)."""
    betas = torch.linspace(beta_start ** 0.5, beta_end ** 0.5, steps, dtype=torch.float32) ** 2
    return torch.cumprod(1.0 - betas, 0)


class SelfAttentionBlock(nn.Module):
    """Pre-LN transformer layer with a causal mask, as in CLIP's text tower."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = Dense(dim, 3 * dim)
        self.out = Dense(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(Dense(dim, 4 * dim), nn.GELU(), Dense(4 * dim, dim))
        self.register_buffer("mask", torch.full((MAX_LENGTH, MAX_LENGTH), float("-inf")).triu(1), persistent=False)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4).unbind(0)
        hd = d // self.heads
        scores = batched_abt(q.reshape(b * self.heads, n, hd), k.reshape(b * self.heads, n, hd)) / math.sqrt(hd)
        att = (scores + self.mask[:n, :n]).softmax(-1)
        y = batched_abt(att, v.reshape(b * self.heads, n, hd).transpose(1, 2)).reshape(b, self.heads, n, hd)
        y = y.transpose(1, 2).reshape(b, n, d)
        x = x + self.out(y)
        return x + self.mlp(self.ln2(x))


class TextEncoder(nn.Module):
    """Token ids -> hidden states; with `pooled_dim`, also the projected hidden state at the first EOS.

    The token table is factored (49408 x 8, then a linear map) so the full CLIP vocabulary costs 1.6 MB.
    """

    def __init__(self, dim: int, layers: int, pooled_dim: int = 0, table_dim: int = 8):
        super().__init__()
        self.table = nn.Embedding(VOCAB, table_dim)
        nn.init.normal_(self.table.weight, std=0.5)
        self.lift = Dense(table_dim, dim)
        self.position = nn.Parameter(torch.randn(MAX_LENGTH, dim) * 0.02)
        self.blocks = nn.ModuleList([SelfAttentionBlock(dim, 4) for _ in range(layers)])
        self.pooled_dim = pooled_dim
        self.eos_id = EOS_ID
        if pooled_dim:
            self.final_ln = nn.LayerNorm(dim)
            self.projection = Dense(dim, pooled_dim, bias=False)

    def hidden_states(self, ids):
        x = self.lift(self.table(ids)) + self.position[: ids.shape[1]]
        states = [x]
        for block in self.blocks:
            x = block(x)
            states.append(x)
        return states

    def forward(self, ids):
        return self.hidden_states(ids)[-1]


class PooledTextEncoder(TextEncoder):
    """text_encoder_2: returns (penultimate hidden states, projection of the final state at the first EOS)."""

    def forward(self, ids):
        states = self.hidden_states(ids)
        eos = (ids == self.eos_id).int().argmax(1)
        last = self.final_ln(states[-1])
        pooled = self.projection(last[torch.arange(ids.shape[0]), eos])
        return states[-2], pooled


def timestep_embedding(t, dim: int):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([args.cos(), args.sin()], 1)


class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, emb: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(8, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = Dense(emb, 2 * cout)
        self.norm2 = nn.GroupNorm(8, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.film(emb)[:, :, None, None].chunk(2, 1)
        h = self.norm2(h) * (1 + scale) + shift
        return self.skip(x) + self.conv2(F.silu(h))


class AttentionPool(nn.Module):
    """Learned queries read the 77 context tokens (both encoders' halves): one summary vector per query."""

    def __init__(self, context_dim: int, queries: int = 6, dim: int = 64, heads: int = 4):
        super().__init__()
        self.heads = heads
        self.queries = nn.Parameter(torch.randn(queries, dim) * 0.5)
        self.norm = nn.LayerNorm(context_dim)
        self.kv = Dense(context_dim, 2 * dim)

    def forward(self, context):
        b, n, _ = context.shape
        count, dim = self.queries.shape
        hd = dim // self.heads
        k, v = self.kv(self.norm(context)).reshape(b, n, 2, self.heads, hd).permute(2, 0, 3, 1, 4).unbind(0)
        q = self.queries.reshape(count, self.heads, hd).transpose(0, 1)[None].expand(b, -1, -1, -1)
        return attend(q, k, v, 1.0 / math.sqrt(hd)).transpose(1, 2).reshape(b, count * dim)


class FilmLayer(nn.Module):
    """A per-pixel dense layer (1x1 convolution) whose output is scaled and shifted by the text embedding."""

    def __init__(self, cin: int, cout: int, emb: int):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 1)
        self.film = Dense(emb, 2 * cout)

    def forward(self, x, emb):
        scale, shift = self.film(emb)[:, :, None, None].chunk(2, 1)
        return F.silu(self.conv(x) * (1 + scale) + shift)


def coordinate_features(grid: int):
    """[1, 21, grid, grid]: x, y (in [-1, 1]), their products and sines/cosines at four frequencies."""
    coords = (torch.arange(grid, dtype=torch.float32) + 0.5) / grid * 2 - 1
    ys, xs = torch.meshgrid(coords, coords, indexing="ij")
    features = [xs, ys, xs * xs, ys * ys, xs * ys]
    for k in (1, 2, 4, 8):
        for c in (xs, ys):
            features += [torch.sin(math.pi * k * c / 2), torch.cos(math.pi * k * c / 2)]
    return torch.stack(features)[None]


class UNet(nn.Module):
    """Predicts the clean latents of a flat scene as two colours and a coverage mask, and returns their epsilon.

    A scene is a background colour, an object colour and where the objects are, so the clean latents on the
    32x32 grid are `bg + (fg - bg) * mask`. The parts:
    - colours: learned queries attend over the context (both encoders) and a small MLP names fg and bg;
    - layout prior: a coordinate network (per-pixel MLP over position features, FiLM from the prompt's
      context summary and pooled embedding) draws the mask logits the prompt implies;
    - refinement: convolutions over the noisy latents, the prior's picture and the timestep correct the mask
      toward what the noisy latents show (at low noise they pin the exact place and size).
    Factoring colour from layout is what lets the model draw colour/shape/background combinations it never
    saw: each part only has to learn its own words.
    """

    def __init__(self, width: int = 64, refine: int = 32, emb: int = 128):
        super().__init__()
        context = D1 + D2
        self.pool = AttentionPool(context)
        summary = 6 * 64
        self.colour_head = nn.Sequential(Dense(summary, emb), nn.SiLU(), Dense(emb, 8))
        self.text_emb = nn.Sequential(Dense(summary + POOLED, emb), nn.SiLU(), Dense(emb, emb))
        self.layout = nn.ModuleList([FilmLayer(21, width, emb), FilmLayer(width, width, emb),
                                     FilmLayer(width, width, emb), FilmLayer(width, width, emb)])
        self.layout_out = nn.Conv2d(width, 1, 1)
        self.time_mlp = nn.Sequential(Dense(64, emb), nn.SiLU(), Dense(emb, emb))
        self.refine_in = nn.Conv2d(4 + 4 + 1 + 2, refine, 3, padding=1)
        self.refine = nn.ModuleList([ResBlock(refine, refine, emb), ResBlock(refine, refine, emb)])
        self.refine_out = nn.Conv2d(refine, 1, 3, padding=1)
        nn.init.zeros_(self.refine_out.weight)
        nn.init.zeros_(self.refine_out.bias)
        self.grid = GRID
        self.register_buffer("features", coordinate_features(GRID), persistent=False)
        self.register_buffer("alphas_cumprod", scaled_linear_alphas_cumprod(), persistent=False)

    def abar(self, timestep):
        return self.alphas_cumprod[timestep.long().clamp(0, self.alphas_cumprod.shape[0] - 1)][:, None, None, None]

    def parts(self, x_grid, timestep, context, pooled):
        """(fg [B,4,1,1], bg [B,4,1,1], prior mask logits, refined mask logits [B,1,32,32]) on the grid."""
        summary = self.pool(context)
        colours = self.colour_head(summary)
        fg, bg = colours[:, :4, None, None], colours[:, 4:, None, None]
        text = self.text_emb(torch.cat([summary, pooled], 1))
        h = self.features
        for layer in self.layout:
            h = layer(h, text)
        prior = self.layout_out(h)
        picture = bg + (fg - bg) * torch.sigmoid(prior)
        emb = self.time_mlp(timestep_embedding(timestep, 64)) + text
        coords = self.features[:, :2].expand(x_grid.shape[0], -1, -1, -1)
        r = self.refine_in(torch.cat([x_grid, self.abar(timestep).sqrt() * picture, prior, coords], 1))
        for block in self.refine:
            r = block(r, emb)
        return fg, bg, prior, prior + self.refine_out(r)

    def clean_grid(self, x_grid, timestep, context, pooled):
        """Predicted clean latents on the 32x32 grid from the noisy latents averaged onto it."""
        fg, bg, prior, mask = self.parts(x_grid, timestep, context, pooled)
        return bg + (fg - bg) * torch.sigmoid(mask)

    def forward(self, latents, timestep, context, pooled, time_ids):
        # time_ids are accepted for interface parity; the scenes are drawn in normalised coordinates,
        # so size conditioning carries nothing the model needs.
        x_grid = F.adaptive_avg_pool2d(latents, [self.grid, self.grid])
        clean = F.interpolate(self.clean_grid(x_grid, timestep, context, pooled), size=(latents.shape[2], latents.shape[3]),
                              mode="bilinear", align_corners=False)
        abar = self.abar(timestep)
        return (latents - abar.sqrt() * clean) / (1 - abar).sqrt()


def latent_channels(rgb):
    """RGB in [-1,1] [B,3,...] -> the four unscaled latent channels: RGB and their mean. Training renders the scene
    on the 32x32 grid (area-averaged), so the latents are band-limited to it; the UNet upsamples bilinearly."""
    return torch.cat([rgb, rgb.mean(1, keepdim=True)], 1)


class Decoder(nn.Module):
    """Unscaled latents -> RGB in [-1,1] at 8x: upsampled colour plus a learned sharpening residual.

    Replicate padding: objects never touch the border, so the border behaves like any flat region and the
    decoder can be trained on interior crops.
    """

    def __init__(self, width: int = 48):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(4, width, 3, padding=1, padding_mode="replicate"), nn.SiLU(),
            nn.Conv2d(width, width, 3, padding=1, padding_mode="replicate"), nn.SiLU(),
            nn.Conv2d(width, width, 3, padding=1, padding_mode="replicate"), nn.SiLU(),
            nn.Conv2d(width, 3 * 64, 1))

    def forward(self, z):
        base = F.interpolate(z[:, :3], scale_factor=8.0, mode="bilinear", align_corners=False)
        return base + F.pixel_shuffle(self.body(z), 8)
