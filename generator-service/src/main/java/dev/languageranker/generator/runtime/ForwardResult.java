package dev.languageranker.generator.runtime;

import ai.djl.ndarray.NDArray;

/**
 * What one forward pass returns: logits ({@code [batch, positions, vocab]}, float32; only the last position unless
 * all were asked for) and the captured layer's hidden states ({@code [batch, positions, hidden]}, or null).
 */
public record ForwardResult(NDArray logits, NDArray hiddenStates, int capturedLayer) {}
