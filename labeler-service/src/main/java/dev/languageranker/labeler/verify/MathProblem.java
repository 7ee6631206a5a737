package dev.languageranker.labeler.verify;

/**
 * A math problem of a reference data set (GSM8K, MATH).
 *
 * @param id where it comes from, such as {@code gsm8k:12}
 * @param solution the worked reference solution
 * @param answer its final answer
 */
public record MathProblem(String id, String solution, String answer) {}
