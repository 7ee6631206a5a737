package dev.languageranker.generator.runtime;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/** A model's {@code tokenizer.json} through DJL's Hugging Face tokenizer, without added special tokens or truncation. */
public final class TextTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;

  private TextTokenizer(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Loads {@code tokenizer.json}; the chat template already writes BOS and role markers, so none are added. */
  public static TextTokenizer load(Path tokenizerJson) throws IOException {
    return new TextTokenizer(HuggingFaceTokenizer.builder()
        .optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .optPadding(false)
        .build());
  }

  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  /** Decodes ids to text, keeping special tokens (callers cut at EOS themselves). */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  /** Decodes ids to text, dropping special tokens. */
  public String decodeSkippingSpecial(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
