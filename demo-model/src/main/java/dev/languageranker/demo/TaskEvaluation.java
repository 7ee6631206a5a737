package dev.languageranker.demo;

/** Base-model accuracy on one task: first sample, majority vote over extracted answers, and oracle (any of K). */
public record TaskEvaluation(
    String task, int problems, int k, double temperature, double firstSample, double majorityVote, double oracle) {}
