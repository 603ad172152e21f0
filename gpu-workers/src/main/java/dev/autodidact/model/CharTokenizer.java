package dev.autodidact.model;

/**
 * A fixed character-level vocabulary: the same ids in every run, so checkpoints and recorded
 * token ids stay meaningful forever.
 *
 * <p>Ids: 0 PAD, 1 BOS, 2 EOS, 3 newline, then printable ASCII 32..126 as 4..98 (vocabulary
 * size 99). A tab becomes four spaces; every other character outside the vocabulary
 * (carriage return, non-ASCII, control characters) becomes {@code '?'}.
 */
public final class CharTokenizer {
  public static final int PAD = 0;
  public static final int BOS = 1;
  public static final int EOS = 2;
  public static final int NEWLINE = 3;

  private static final int FIRST_PRINTABLE = 32;
  private static final int LAST_PRINTABLE = 126;
  private static final int PRINTABLE_OFFSET = 4 - FIRST_PRINTABLE;
  private static final int VOCAB_SIZE = LAST_PRINTABLE + PRINTABLE_OFFSET + 1;
  private static final int UNKNOWN = '?' + PRINTABLE_OFFSET;
  private static final String TAB_REPLACEMENT = "    ";

  public int vocabSize() {
    return VOCAB_SIZE;
  }

  /** The ids of {@code text}, without BOS or EOS (the policy adds BOS itself). */
  public int[] encode(String text) {
    String expanded = text.replace("\t", TAB_REPLACEMENT);
    int[] ids = new int[expanded.length()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = idOf(expanded.charAt(i));
    }
    return ids;
  }

  /** The text of {@code ids}: PAD and BOS are skipped, decoding stops at the first EOS. */
  public String decode(int[] ids) {
    StringBuilder text = new StringBuilder(ids.length);
    for (int id : ids) {
      if (id == EOS) {
        break;
      }
      if (id == PAD || id == BOS) {
        continue;
      }
      if (id < 0 || id >= VOCAB_SIZE) {
        throw new IllegalArgumentException("token id out of vocabulary: " + id);
      }
      text.append(id == NEWLINE ? '\n' : (char) (id - PRINTABLE_OFFSET));
    }
    return text.toString();
  }

  private static int idOf(char c) {
    if (c == '\n') {
      return NEWLINE;
    }
    if (c >= FIRST_PRINTABLE && c <= LAST_PRINTABLE) {
      return c + PRINTABLE_OFFSET;
    }
    return UNKNOWN;
  }
}
