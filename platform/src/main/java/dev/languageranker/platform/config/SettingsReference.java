package dev.languageranker.platform.config;

/** Renders the settings catalogue as the Markdown reference kept in {@code docs/configuration.md}. */
public final class SettingsReference {
  private SettingsReference() {}

  public static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("Generated from the settings catalogue (`Settings.java`) by `bin/language-ranker config --markdown`; ")
        .append("a test fails when this file and the catalogue differ.\n\n")
        .append("Sources, later wins: the defaults below; a properties file (`--config FILE` or the file named by ")
        .append("`LR_CONFIG`); environment variables (`LR_` + the key in upper case, dots as underscores); ")
        .append("`--set key=value` on the command line. An unknown key is an error that names it. ")
        .append("Any Kafka client property passes through with the `kafka.` prefix ")
        .append("(e.g. `kafka.security.protocol=SASL_SSL`, env `LR_KAFKA_SECURITY_PROTOCOL`).\n\n")
        .append("Durations are a number with a unit: `500ms`, `30s`, `5m`, `2h`, `7d`.\n\n")
        .append("| key | environment variable | type | default | description |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    for (Setting<?> s : Settings.all()) {
      md.append("| `").append(s.key()).append("` | `").append(s.environmentVariable()).append("` | ")
          .append(s.type().name()).append(" | `").append(s.defaultValue()).append("` | ")
          .append(s.doc().replace("|", "\\|")).append(" |\n");
    }
    return md.toString();
  }
}
