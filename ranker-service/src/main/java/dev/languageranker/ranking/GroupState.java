package dev.languageranker.ranking;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the ranker remembers of an open group: when its first candidate arrived, its size, how many candidates were
 * accepted and rejected, and which indexes it has seen (so a duplicate needs no store lookup). Ready to rank when
 * every candidate is accounted for.
 */
public record GroupState(long firstArrivalMs, int k, int accepted, int rejected, long[] seenWords) {
  static GroupState open(long now, int k) {
    return new GroupState(now, k, 0, 0, new long[0]);
  }

  boolean ready() {
    return k > 0 && accepted + rejected >= k;
  }

  boolean seen(int index) {
    return BitSet.valueOf(seenWords).get(index);
  }

  GroupState accept(int index) {
    return new GroupState(firstArrivalMs, k, accepted + 1, rejected, mark(index));
  }

  GroupState reject(int index) {
    return new GroupState(firstArrivalMs, k, accepted, rejected + 1, mark(index));
  }

  private long[] mark(int index) {
    BitSet bits = BitSet.valueOf(seenWords);
    bits.set(index);
    return bits.toLongArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupState g && g.firstArrivalMs == firstArrivalMs && g.k == k && g.accepted == accepted
        && g.rejected == rejected && Arrays.equals(g.seenWords, seenWords);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(firstArrivalMs) * 31 + Arrays.hashCode(seenWords);
  }

  /** A fixed binary layout: this state is read and written for every candidate, so it avoids JSON. */
  static final class StateSerde implements Serde<GroupState> {
    private static final byte VERSION = 1;

    @Override
    public Serializer<GroupState> serializer() {
      return (topic, s) -> {
        if (s == null) {
          return null;
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 * 3 + 2 + 8 * s.seenWords().length);
        b.put(VERSION).putLong(s.firstArrivalMs()).putInt(s.k()).putInt(s.accepted()).putInt(s.rejected())
            .putShort((short) s.seenWords().length);
        for (long w : s.seenWords()) {
          b.putLong(w);
        }
        return b.array();
      };
    }

    @Override
    public Deserializer<GroupState> deserializer() {
      return (topic, bytes) -> {
        if (bytes == null) {
          return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.get() != VERSION) {
          throw new SerializationException("unknown group state version in " + topic);
        }
        long first = b.getLong();
        int k = b.getInt();
        int accepted = b.getInt();
        int rejected = b.getInt();
        long[] words = new long[b.getShort()];
        for (int i = 0; i < words.length; i++) {
          words[i] = b.getLong();
        }
        return new GroupState(first, k, accepted, rejected, words);
      };
    }
  }
}
