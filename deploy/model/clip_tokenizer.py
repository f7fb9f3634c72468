"""A from-scratch CLIP BPE tokenizer (OpenAI `simple_tokenizer.py` semantics) used as the Python reference.

It reads the vocabulary and merges from a model directory's `tokenizer.json` but shares no code with the
Hugging Face tokenizers library the worker uses, so the golden ids test two independent implementations.
Text cleaning follows the tokenizer.json normalizer (NFC, whitespace runs -> one space, lowercase); CLIP's
ftfy/html-unescape pass is not applied (the worker does not apply it either).
"""
import json
import unicodedata

import regex

from build_clip_tokenizer import SPLIT, bytes_to_unicode

BOS, EOS = 49406, 49407


class ClipTokenizer:
    def __init__(self, tokenizer_json):
        model = json.load(open(tokenizer_json, encoding="utf-8"))["model"]
        self.encoder = model["vocab"]
        self.ranks = {tuple(m.split(" ")): i for i, m in enumerate(model["merges"])}
        self.byte_encoder = bytes_to_unicode()
        self.pattern = regex.compile(SPLIT, regex.IGNORECASE)
        self.cache = {}

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = tuple(merged)
        self.cache[token] = word
        return word

    def encode(self, text):
        """Ids with BOS/EOS, no truncation, no padding."""
        text = regex.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).lower()
        ids = [BOS]
        for piece in self.pattern.findall(text):
            piece = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(piece))
        return ids + [EOS]

    def encode_padded(self, text, pad_id, max_length=77):
        """What the worker feeds an encoder: truncated keeping BOS/EOS, then padded; plus tokens dropped."""
        ids = self.encode(text)
        truncated = max(0, len(ids) - max_length)
        if truncated:
            ids = ids[:max_length - 1] + [EOS]
        return ids + [pad_id] * (max_length - len(ids)), truncated
