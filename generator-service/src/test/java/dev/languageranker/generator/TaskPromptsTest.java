package dev.languageranker.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import dev.languageranker.generator.runtime.ChatMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task templates: the formats verifiers rely on. */
class TaskPromptsTest {

  private static PromptRequest.Builder prompt(Task task, String text) {
    return PromptRequest.newBuilder().setRequestId("r").setTask(task).setText(text).setCreatedAt(Instant.EPOCH);
  }

  @Test
  void mathAsksForABoxedAnswer() {
    List<ChatMessage> messages = TaskPrompts.messages(prompt(Task.MATH, "What is 2 + 3?").build());
    assertEquals(List.of(ChatMessage.system(TaskPrompts.MATH_SYSTEM),
        ChatMessage.user("What is 2 + 3?")), messages);
    assertTrue(messages.get(0).content().contains("\\boxed{X}"));
  }

  @Test
  void codeAsksForTheFunctionBetweenTheStartAndEndMarkers() {
    String system = TaskPrompts.messages(prompt(Task.CODE, "Write add(a, b). assert add(1, 2) == 3").build())
        .get(0).content();
    assertTrue(system.contains("a line #START OF CODE and a line #END OF CODE"), system);
  }

  @Test
  void functionCallingListsTheGivenFunctionsAsSignatures() {
    String functions = "[{\"name\": \"get_weather\", \"parameters\": {\"type\": \"dict\", \"properties\": "
        + "{\"city\": {\"type\": \"string\"}, \"unit\": {\"type\": \"string\"}}}},"
        + "{\"type\": \"function\", \"function\": {\"name\": \"convert_currency\", \"parameters\": {\"properties\": "
        + "{\"amount\": {}, \"source\": {}, \"target\": {}}}}},"
        + "{\"name\": \"set_timer\", \"parameters\": {\"properties\": {\"minutes\": {}, \"label\": {}}}},"
        + "{\"name\": \"send_message\", \"parameters\": {\"properties\": {\"to\": {}, \"text\": {}}}}]";
    List<ChatMessage> messages = TaskPrompts.messages(prompt(Task.FUNCTION_CALL, "Weather in Oslo?")
        .setFunctions(functions).build());
    assertEquals("Reply only with a JSON list of calls to: get_weather(city, unit), "
        + "convert_currency(amount, source, target), set_timer(minutes, label), send_message(to, text).",
        messages.get(0).content());
  }

  @Test
  void functionCallingWithoutAUsableFunctionListIsRefused() {
    assertThrows(UnservablePromptException.class,
        () -> TaskPrompts.messages(prompt(Task.FUNCTION_CALL, "Weather?").build()));
    var e = assertThrows(UnservablePromptException.class,
        () -> TaskPrompts.messages(prompt(Task.FUNCTION_CALL, "Weather?").setFunctions("get_weather(city)").build()));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
  }

  @Test
  void generalInstructionsGetTheGeneralSystemMessage() {
    assertEquals(TaskPrompts.GENERAL_SYSTEM,
        TaskPrompts.messages(prompt(Task.GENERAL, "Write a haiku.").build()).get(0).content());
  }

  @Test
  void ownMessagesAreUsedAsGivenWithoutATemplate() {
    PromptRequest request = prompt(Task.MATH, null).setMessages(List.of(
        new dev.languageranker.events.ChatMessage("system", "Be brief."),
        new dev.languageranker.events.ChatMessage("user", "1+1?"))).build();
    assertEquals(List.of(ChatMessage.system("Be brief."), ChatMessage.user("1+1?")), TaskPrompts.messages(request));
  }

  @Test
  void emptyTextAndUnknownTaskAreRefusedWithTheirReason() {
    var empty = assertThrows(UnservablePromptException.class,
        () -> TaskPrompts.messages(prompt(Task.MATH, "  ").build()));
    assertTrue(empty.getMessage().contains("empty prompt"), empty.getMessage());
    var unknown = assertThrows(UnservablePromptException.class,
        () -> TaskPrompts.messages(prompt(Task.UNKNOWN, "hi").build()));
    assertTrue(unknown.getMessage().contains("unknown task"), unknown.getMessage());
    var unknownWithMessages = assertThrows(UnservablePromptException.class, () -> TaskPrompts.messages(
        prompt(Task.UNKNOWN, null).setMessages(List.of(new dev.languageranker.events.ChatMessage("user", "hi")))
            .build()));
    assertTrue(unknownWithMessages.getMessage().contains("unknown task"), unknownWithMessages.getMessage());
  }
}
