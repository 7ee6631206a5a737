package dev.languageranker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.languageranker.events.PromptRequest;
import dev.languageranker.events.Task;
import dev.languageranker.generator.TaskPrompts;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The demo model learns the system messages the generator sends, word for word. */
class DemoPromptsTest {

  @Test
  void mathProblemsUseTheGeneratorsMathPrompt() {
    DemoProblem problem = new MathProblemGenerator().next(new Random(1));
    PromptRequest request = PromptRequest.newBuilder().setRequestId("r").setTask(Task.MATH)
        .setText(problem.user()).setCreatedAt(Instant.EPOCH).build();
    assertEquals(problem.system(), TaskPrompts.messages(request).get(0).content());
  }

  @Test
  void functionCallProblemsUseTheGeneratorsRenderingOfTheirFunctions() {
    String functions = "[{\"name\": \"get_weather\", \"parameters\": {\"properties\": {\"city\": {}, \"unit\": {}}}},"
        + "{\"name\": \"convert_currency\", \"parameters\": {\"properties\": "
        + "{\"amount\": {}, \"source\": {}, \"target\": {}}}},"
        + "{\"name\": \"set_timer\", \"parameters\": {\"properties\": {\"minutes\": {}, \"label\": {}}}},"
        + "{\"name\": \"send_message\", \"parameters\": {\"properties\": {\"to\": {}, \"text\": {}}}}]";
    PromptRequest request = PromptRequest.newBuilder().setRequestId("r").setTask(Task.FUNCTION_CALL)
        .setText("Weather in Oslo?").setFunctions(functions).setCreatedAt(Instant.EPOCH).build();
    assertEquals(FunctionCallProblemGenerator.SYSTEM, TaskPrompts.messages(request).get(0).content());
  }
}
