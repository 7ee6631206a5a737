package dev.languageranker.cli;

import dev.languageranker.cli.common.ConfigOptions;

import dev.languageranker.platform.config.LrConfig;
import dev.languageranker.platform.config.Setting;
import dev.languageranker.platform.config.Settings;
import dev.languageranker.platform.config.SettingsReference;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows every setting with its effective value and where it came from, or the settings reference as Markdown. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Shows every setting's effective value and source (default, file, environment, --set).")
final class ConfigCommand implements Callable<Integer> {
  @Mixin ConfigOptions configOptions;
  @Spec CommandSpec spec;

  @Option(names = "--markdown",
      description = "Print the settings reference (docs/configuration.md) instead.") boolean markdown;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (markdown) {
      out.print(SettingsReference.markdown());
      out.flush();
      return 0;
    }
    LrConfig config = configOptions.load();
    for (Setting<?> setting : Settings.all()) {
      Object value = setting.key().endsWith("user.info") && !config.get(setting).toString().isEmpty()
          ? "[hidden]" : config.get(setting);
      out.printf("%-38s = %-40s (%s)%n", setting.key(), value, config.sourceOf(setting));
    }
    config.kafkaProperties().forEach((k, v) -> out.printf("%-38s = %-40s (Kafka client property)%n",
        "kafka." + k, k.contains("password") || k.contains("jaas") ? "[hidden]" : v));
    out.flush();
    return 0;
  }
}
