package dev.languageranker.demo;

import dev.languageranker.generator.runtime.ChatMessage;
import java.util.List;

/**
 * One generated problem: the system and user messages, a worked target response (what the demo model is trained
 * to write) and the reference answer a verifier checks against (a number for math, a JSON list of calls for
 * function calling).
 */
public record DemoProblem(DemoTask task, String system, String user, String targetResponse, String reference) {

  /** The conversation up to the assistant's turn. */
  public List<ChatMessage> messages() {
    return List.of(ChatMessage.system(system), ChatMessage.user(user));
  }
}
