package dev.languageranker.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the demo model's {@code tokenizer.json} in the Hugging Face tokenizers format: a BPE model over printable
 * ASCII, with merges learnt here from sample texts (classic BPE: repeatedly merge the most frequent adjacent pair),
 * a Metaspace pre-tokenizer and decoder (spaces become {@code ▁}), and the chat special tokens. Digits are never
 * merged, so numbers stay one token per digit, which makes arithmetic learnable for a tiny model.
 */
public final class DemoTokenizerBuilder {

  static final String SPACE = "\u2581";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int merges;

  public DemoTokenizerBuilder(int merges) {
    this.merges = merges;
  }

  /** Learns merges from {@code texts} and writes {@code tokenizer.json} to {@code file}. */
  public void write(List<String> texts, Path file) throws IOException {
    List<String> alphabet = new ArrayList<>();
    alphabet.add("\n");
    alphabet.add(SPACE);
    for (char c = 33; c < 127; c++) {
      alphabet.add(String.valueOf(c));
    }
    List<String[]> learnt = learnMerges(texts);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String special : DemoChatFormat.SPECIAL_TOKENS) {
      vocab.put(special, vocab.size());
    }
    alphabet.forEach(symbol -> vocab.putIfAbsent(symbol, vocab.size()));
    for (String[] pair : learnt) {
      vocab.putIfAbsent(pair[0] + pair[1], vocab.size());
    }
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tokenizerJson(vocab, learnt)));
  }

  private ObjectNode tokenizerJson(Map<String, Integer> vocab, List<String[]> learnt) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : DemoChatFormat.SPECIAL_TOKENS) {
      ObjectNode token = added.addObject();
      token.put("id", vocab.get(special));
      token.put("content", special);
      token.put("single_word", false);
      token.put("lstrip", false);
      token.put("rstrip", false);
      token.put("normalized", false);
      token.put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", metaspace());
    root.putNull("post_processor");
    root.set("decoder", metaspace());
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", DemoChatFormat.UNK);
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocabNode = model.putObject("vocab");
    vocab.forEach(vocabNode::put);
    ArrayNode mergeNode = model.putArray("merges");
    learnt.forEach(pair -> mergeNode.add(pair[0] + " " + pair[1]));
    return root;
  }

  private static ObjectNode metaspace() {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "Metaspace");
    node.put("replacement", SPACE);
    node.put("prepend_scheme", "never");
    node.put("split", true);
    return node;
  }

  /** Classic BPE over the words of the texts (split before each space, as the Metaspace pre-tokenizer does). */
  List<String[]> learnMerges(List<String> texts) {
    Map<String, Integer> wordCounts = new HashMap<>();
    for (String text : texts) {
      for (String word : words(text)) {
        wordCounts.merge(word, 1, Integer::sum);
      }
    }
    List<List<String>> words = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    wordCounts.forEach((word, count) -> {
      List<String> symbols = new ArrayList<>();
      word.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
      words.add(symbols);
      counts.add(count);
    });
    List<String[]> learnt = new ArrayList<>();
    for (int m = 0; m < merges; m++) {
      Map<String, Integer> pairCounts = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> symbols = words.get(w);
        for (int i = 0; i + 1 < symbols.size(); i++) {
          if (mergeable(symbols.get(i)) && mergeable(symbols.get(i + 1))) {
            pairCounts.merge(symbols.get(i) + " " + symbols.get(i + 1), counts.get(w), Integer::sum);
          }
        }
      }
      // Highest count first; ties broken by the pair's text so the result does not depend on hash order.
      String best = pairCounts.entrySet().stream()
          .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey(
              java.util.Comparator.reverseOrder())))
          .filter(e -> e.getValue() >= 2)
          .map(Map.Entry::getKey).orElse(null);
      if (best == null) {
        break;
      }
      String[] pair = best.split(" ", 2);
      learnt.add(pair);
      String joined = pair[0] + pair[1];
      for (List<String> symbols : words) {
        for (int i = 0; i + 1 < symbols.size(); i++) {
          if (symbols.get(i).equals(pair[0]) && symbols.get(i + 1).equals(pair[1])) {
            symbols.set(i, joined);
            symbols.remove(i + 1);
          }
        }
      }
    }
    return learnt;
  }

  private static boolean mergeable(String symbol) {
    return symbol.chars().noneMatch(Character::isDigit) && !symbol.contains("\n");
  }

  private static List<String> words(String text) {
    String replaced = text.replace(" ", SPACE);
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < replaced.length(); i++) {
      if (replaced.startsWith(SPACE, i)) {
        words.add(replaced.substring(start, i));
        start = i;
      }
    }
    if (start < replaced.length()) {
      words.add(replaced.substring(start));
    }
    return words;
  }
}
