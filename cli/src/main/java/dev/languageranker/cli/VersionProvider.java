package dev.languageranker.cli;

import picocli.CommandLine;

/** Reports the build version from the jar manifest (or "development" when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[]{
        "language-ranker " + (version == null ? "development" : version),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
    };
  }
}
