package dev.languageranker.schemas;

/** The two framings our Avro values travel in, told apart by their first bytes. */
public enum WireFormat {
  /** Confluent framing: magic byte 0, a 4-byte big-endian schema id, then the Avro binary body. */
  CONFLUENT,
  /** Avro single-object encoding: 0xC3 0x01, the 8-byte little-endian CRC-64-AVRO fingerprint, then the body. */
  SINGLE_OBJECT;

  static final byte CONFLUENT_MAGIC = 0;
  static final int CONFLUENT_HEADER = 5;

  /** Recognizes the framing of {@code data}, or returns null when it is neither. */
  public static WireFormat of(byte[] data) {
    if (data.length >= CONFLUENT_HEADER && data[0] == CONFLUENT_MAGIC) {
      return CONFLUENT;
    }
    if (data.length >= 10 && data[0] == (byte) 0xC3 && data[1] == (byte) 0x01) {
      return SINGLE_OBJECT;
    }
    return null;
  }
}
