package dev.languageranker.generator.runtime;

/** Why a candidate ended. */
public enum StopReason {
  EOS, STOP_STRING, MAX_TOKENS
}
