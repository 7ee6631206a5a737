package dev.languageranker.ranker.synthetic;

/** One generated prompt: instruction then candidate vectors as feature bytes, with labels and baseline signals. */
public record SyntheticPrompt(String requestId, byte[] vectors, float[] labels, float[] logProbMeans,
    String[] answerKeys, int[] tokenCounts) {}
