package dev.languageranker.ranker.data;

/** K candidates of one prompt, by their index within the prompt, in ascending (sampling) order. */
public record Group(int prompt, int[] candidates) {

  public int size() {
    return candidates.length;
  }
}
