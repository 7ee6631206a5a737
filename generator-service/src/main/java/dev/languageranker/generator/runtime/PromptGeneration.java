package dev.languageranker.generator.runtime;

import java.util.List;

/** The K candidates of one prompt, with the instruction feature at the prompt's last token. */
public record PromptGeneration(
    String promptText, long[] promptTokenIds, float[] instructionFeature, List<GeneratedCandidate> candidates,
    FeatureSpec featureSpec) {}
