package dev.languageranker.schemas;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over a byte array whose {@code bytes} values are read-only views into that array instead of
 * copies. Feature vectors are most of a candidate's bytes; copying them (and zeroing each copy's allocation) was the
 * largest cost of decoding one. Everything else is Avro's own non-buffering decoder reading the same array, so the
 * position after each value is known exactly.
 */
final class SlicingDecoder extends Decoder {
  private final ArrayInput input;
  private final Decoder avro;

  SlicingDecoder(byte[] data, int offset, int length) {
    this.input = new ArrayInput(data, offset, offset + length);
    this.avro = DecoderFactory.get().directBinaryDecoder(input, null);
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    long length = avro.readLong();
    if (length < 0 || length > input.remaining()) {
      throw new EOFException("bytes value of " + length + " bytes, " + input.remaining() + " left in the record");
    }
    return input.slice((int) length);
  }

  @Override
  public void readNull() throws IOException {
    avro.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return avro.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return avro.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return avro.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return avro.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return avro.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return avro.readString(old);
  }

  @Override
  public String readString() throws IOException {
    return avro.readString();
  }

  @Override
  public void skipString() throws IOException {
    avro.skipString();
  }

  @Override
  public void skipBytes() throws IOException {
    avro.skipBytes();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    avro.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    avro.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return avro.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return avro.readArrayStart();
  }

  @Override
  public long arrayNext() throws IOException {
    return avro.arrayNext();
  }

  @Override
  public long skipArray() throws IOException {
    return avro.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return avro.readMapStart();
  }

  @Override
  public long mapNext() throws IOException {
    return avro.mapNext();
  }

  @Override
  public long skipMap() throws IOException {
    return avro.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return avro.readIndex();
  }

  /** An unsynchronized stream over part of an array that can hand out views of what follows. */
  private static final class ArrayInput extends InputStream {
    private final byte[] data;
    private final int end;
    private int pos;

    ArrayInput(byte[] data, int from, int end) {
      this.data = data;
      this.pos = from;
      this.end = end;
    }

    int remaining() {
      return end - pos;
    }

    ByteBuffer slice(int length) {
      ByteBuffer view = ByteBuffer.wrap(data, pos, length).slice();
      pos += length;
      return view;
    }

    @Override
    public int read() {
      return pos < end ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      int skipped = (int) Math.max(0, Math.min(n, end - pos));
      pos += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return end - pos;
    }
  }
}
