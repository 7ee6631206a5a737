package dev.languageranker.evaluation;

import dev.languageranker.generator.runtime.ChatMessage;
import java.util.List;

/**
 * One problem of an evaluation: its conversation up to the assistant's turn and the reference a verifier checks
 * against.
 *
 * @param task {@code math} or {@code function}
 */
public record EvalProblem(String id, String task, List<ChatMessage> messages, String reference) {}
