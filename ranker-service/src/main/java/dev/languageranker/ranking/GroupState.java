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
 * accepted and rejected, which indexes it has seen (so a duplicate needs no store lookup), and where in
 * {@code lr.candidates} the accepted ones are. Ready to rank when every candidate is accounted for.
 *
 * <p>The candidates themselves (features are 8-64 KiB each) stay in the topic they came from: the state, and so its
 * changelog, holds their partition and offsets, a few bytes each, and a restarted task reads them back from there.
 */
public record GroupState(long firstArrivalMs, int k, int accepted, int rejected, long[] seenWords, int partition,
    long[] offsets) {
  static GroupState open(long now, int k, int partition) {
    return new GroupState(now, k, 0, 0, new long[0], partition, new long[0]);
  }

  boolean ready() {
    return k > 0 && accepted + rejected >= k;
  }

  boolean seen(int index) {
    return BitSet.valueOf(seenWords).get(index);
  }

  /** The state with candidate {@code index}, read at {@code offset} of this group's partition, accepted. */
  GroupState accept(int index, long offset) {
    long[] more = Arrays.copyOf(offsets, offsets.length + 1);
    more[offsets.length] = offset;
    return new GroupState(firstArrivalMs, k, accepted + 1, rejected, mark(index), partition, more);
  }

  GroupState reject(int index) {
    return new GroupState(firstArrivalMs, k, accepted, rejected + 1, mark(index), partition, offsets);
  }

  private long[] mark(int index) {
    BitSet bits = BitSet.valueOf(seenWords);
    bits.set(index);
    return bits.toLongArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupState g && g.firstArrivalMs == firstArrivalMs && g.k == k && g.accepted == accepted
        && g.rejected == rejected && Arrays.equals(g.seenWords, seenWords) && g.partition == partition
        && Arrays.equals(g.offsets, offsets);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(firstArrivalMs) * 31 + Arrays.hashCode(seenWords) * 17 + Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return "GroupState[first=" + firstArrivalMs + ", k=" + k + ", accepted=" + accepted + ", rejected=" + rejected
        + ", partition=" + partition + ", offsets=" + Arrays.toString(offsets) + "]";
  }

  /** A fixed binary layout: this state is read and written for every candidate, so it avoids JSON. */
  static final class StateSerde implements Serde<GroupState> {
    private static final byte VERSION = 2;

    @Override
    public Serializer<GroupState> serializer() {
      return (topic, s) -> {
        if (s == null) {
          return null;
        }
        ByteBuffer b = ByteBuffer
            .allocate(1 + 8 + 4 * 3 + 2 + 8 * s.seenWords().length + 4 + 4 + 8 * s.offsets().length);
        b.put(VERSION).putLong(s.firstArrivalMs()).putInt(s.k()).putInt(s.accepted()).putInt(s.rejected())
            .putShort((short) s.seenWords().length);
        for (long w : s.seenWords()) {
          b.putLong(w);
        }
        b.putInt(s.partition()).putInt(s.offsets().length);
        for (long offset : s.offsets()) {
          b.putLong(offset);
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
        byte version = b.get();
        if (version != VERSION) {
          throw new SerializationException("group state version " + version + " in " + topic + ", expected " + VERSION);
        }
        long first = b.getLong();
        int k = b.getInt();
        int accepted = b.getInt();
        int rejected = b.getInt();
        long[] words = new long[b.getShort()];
        for (int i = 0; i < words.length; i++) {
          words[i] = b.getLong();
        }
        int partition = b.getInt();
        long[] offsets = new long[b.getInt()];
        for (int i = 0; i < offsets.length; i++) {
          offsets[i] = b.getLong();
        }
        return new GroupState(first, k, accepted, rejected, words, partition, offsets);
      };
    }
  }
}
