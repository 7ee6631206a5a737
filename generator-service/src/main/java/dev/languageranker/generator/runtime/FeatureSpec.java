package dev.languageranker.generator.runtime;

/** Where features come from and how they are shaped: {@code hidden_states[layer]}, of {@code dim} floats. */
public record FeatureSpec(int layer, int dim, String dtype) {}
