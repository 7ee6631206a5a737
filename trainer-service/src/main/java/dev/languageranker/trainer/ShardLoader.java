package dev.languageranker.trainer;

import ai.djl.ndarray.NDManager;
import dev.languageranker.ranker.data.TrainingSet;
import dev.languageranker.ranker.data.TrainingSetReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a rankerId's shards as one {@link TrainingSet}. ranker-core reads one shard per set, so several shards are
 * first joined into one temporary shard by plain byte copies: in the {@code .lrts} layout (ranker-core README) each
 * prompt's metadata stands alone and rows are implicit, so a join is the shards' feature blocks one after another,
 * then their metadata blocks, under a header with the sums. Only shards whose headers agree on everything but the
 * counts are joined; anything else is refused, and ranker-core's reader checks the result as it checks any shard.
 */
final class ShardLoader {
  private static final int HEADER_BYTES = 64;
  private static final int MAGIC = 0x5354524c;

  private ShardLoader() {}

  static TrainingSet load(List<Path> shards, Path scratch, NDManager manager) throws IOException {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to load");
    }
    if (shards.size() == 1) {
      return TrainingSetReader.read(shards.get(0), manager);
    }
    Path joined = Files.createTempFile(scratch, "joined-", ".lrts.tmp");
    try {
      join(shards, joined);
      return TrainingSetReader.read(joined, manager);
    } finally {
      Files.deleteIfExists(joined);
    }
  }

  /** Writes the shards, in order, as one shard at {@code target}. */
  static void join(List<Path> shards, Path target) throws IOException {
    List<Header> headers = new ArrayList<>();
    for (Path shard : shards) {
      headers.add(Header.read(shard));
    }
    Header first = headers.get(0);
    long prompts = 0;
    long rows = 0;
    long metadata = 0;
    long features = 0;
    for (Header h : headers) {
      if (!h.sameKind(first)) {
        throw new IOException(
            "cannot join " + h.path + " to " + first.path + ": their headers differ beyond the counts");
      }
      prompts += h.promptCount;
      rows += h.rowCount;
      metadata += h.metadataLength;
      features += h.metadataOffset - h.featureOffset;
    }
    if (prompts > Integer.MAX_VALUE) {
      throw new IOException("joined shard would hold " + prompts + " prompts");
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(MAGIC).putInt(first.version).putInt(first.dtype).putInt(first.dim).putInt(first.layer)
        .putInt(first.labelType).putInt((int) prompts).putInt(first.reserved)
        .putLong(rows).putLong(HEADER_BYTES).putLong(HEADER_BYTES + features).putLong(metadata).flip();
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(header);
      for (Header h : headers) {
        copy(h.path, h.featureOffset, h.metadataOffset - h.featureOffset, out);
      }
      for (Header h : headers) {
        copy(h.path, h.metadataOffset, h.metadataLength, out);
      }
    }
  }

  private static void copy(Path from, long offset, long length, FileChannel out) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ)) {
      long done = 0;
      while (done < length) {
        long n = in.transferTo(offset + done, length - done, out);
        if (n <= 0) {
          throw new IOException(from + " ended early while joining shards");
        }
        done += n;
      }
    }
  }

  /** The 64-byte shard header. */
  private record Header(Path path, int version, int dtype, int dim, int layer, int labelType, int promptCount,
      int reserved, long rowCount, long featureOffset, long metadataOffset, long metadataLength) {

    static Header read(Path path) throws IOException {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
          if (channel.read(b, b.position()) < 0) {
            throw new IOException(path + " is shorter than a shard header");
          }
        }
        b.flip();
        if (b.getInt() != MAGIC) {
          throw new IOException(path + " is not a training shard (bad magic)");
        }
        Header h = new Header(path, b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(),
            b.getLong(), b.getLong(), b.getLong(), b.getLong());
        if (h.featureOffset != HEADER_BYTES || h.metadataOffset < h.featureOffset
            || h.metadataOffset + h.metadataLength != channel.size()) {
          throw new IOException(path + " is truncated or inconsistent");
        }
        return h;
      }
    }

    boolean sameKind(Header o) {
      return version == o.version && dtype == o.dtype && dim == o.dim && layer == o.layer && labelType == o.labelType
          && reserved == o.reserved;
    }
  }
}
