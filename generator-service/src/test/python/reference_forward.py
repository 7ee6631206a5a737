#!/usr/bin/env python3
"""Independent NumPy reference of Hugging Face's LlamaForCausalLM / Qwen2ForCausalLM forward pass.

Written from transformers' modeling_llama.py / modeling_qwen2.py (eager attention), to check the Java runtime
against a second implementation in another language. Reads a model directory (config.json and
model.safetensors, F32 or BF16), runs the token ids given on the command line, and prints JSON with the
last position's logits and hidden_states[L] (L = --layer) at the last position.

usage: reference_forward.py MODEL_DIR --token-ids 1,2,3 --layer L
"""
import argparse
import json
import math
import struct

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "F32":
            array = np.frombuffer(raw, dtype="<f4")
        elif info["dtype"] == "BF16":
            array = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SystemExit("unsupported dtype " + info["dtype"])
        tensors[name] = array.reshape(info["shape"]).astype(np.float64)
    return tensors


def inverse_frequencies(config, head_dim):
    base = config.get("rope_theta", 10000.0)
    inv = 1.0 / (base ** (np.arange(0, head_dim, 2, dtype=np.int64).astype(np.float64) / head_dim))
    scaling = config.get("rope_scaling")
    if scaling and scaling.get("rope_type", scaling.get("type")) == "llama3":
        factor = scaling["factor"]
        low, high = scaling["low_freq_factor"], scaling["high_freq_factor"]
        old = scaling["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = np.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        inv = np.where(medium, smoothed, scaled)
    return inv


def rms_norm(x, weight, eps):
    return weight * (x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--token-ids", required=True)
    parser.add_argument("--layer", type=int, required=True)
    args = parser.parse_args()
    config = json.load(open(args.model + "/config.json"))
    w = read_safetensors(args.model + "/model.safetensors")
    ids = [int(t) for t in args.token_ids.split(",")]
    n = len(ids)
    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads", heads)
    head_dim = config.get("head_dim") or hidden // heads
    eps = config.get("rms_norm_eps", 1e-6)
    qwen2 = config["architectures"][0] == "Qwen2ForCausalLM"
    bias = qwen2 or config.get("attention_bias", False)

    positions = np.arange(n, dtype=np.float64)
    freqs = np.outer(positions, inverse_frequencies(config, head_dim))
    emb = np.concatenate([freqs, freqs], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)  # (n, head_dim)
    causal = np.triu(np.full((n, n), -np.inf), k=1)

    x = w["model.embed_tokens.weight"][ids]  # (n, hidden)
    states = [x]
    for i in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name):
            out = h @ w[p + "self_attn." + name + ".weight"].T
            return out + w[p + "self_attn." + name + ".bias"] if bias else out

        q = proj("q_proj").reshape(n, heads, head_dim).transpose(1, 0, 2)
        k = proj("k_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
        v = proj("v_proj").reshape(n, kv_heads, head_dim).transpose(1, 0, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = np.repeat(k, heads // kv_heads, axis=0)  # repeat_kv: head j uses kv head j // n_rep
        v = np.repeat(v, heads // kv_heads, axis=0)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(head_dim) + causal
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(1, 0, 2).reshape(n, heads * head_dim)
        x = x + context @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + ((gate / (1 + np.exp(-gate))) * up) @ w[p + "mlp.down_proj.weight"].T
        states.append(x)
    normed = rms_norm(x, w["model.norm.weight"], eps)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    logits = normed @ head.T
    print(json.dumps({"logits": logits[-1].tolist(), "hidden_state": states[args.layer][-1].tolist()}))


if __name__ == "__main__":
    main()
