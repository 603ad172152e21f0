package dev.autodidact.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {
  private final CharTokenizer tokenizer = new CharTokenizer();

  @Test
  void vocabularyIsFixed() {
    assertThat(tokenizer.vocabSize()).isEqualTo(99);
    assertThat(tokenizer.encode(" ~\n")).containsExactly(4, 98, 3);
    assertThat(tokenizer.encode("a")).containsExactly('a' - 28);
  }

  @Test
  void roundTripsPythonSource() {
    String source = "def f(x):\n    return [i * 2 for i in range(x) if i % 3 != 0]\n";
    assertThat(tokenizer.decode(tokenizer.encode(source))).isEqualTo(source);
  }

  @Property(tries = 200)
  void roundTripsPrintableAscii(
      @ForAll @Chars({'\n'}) @CharRange(from = ' ', to = '~') String text) {
    assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
  }

  @Test
  void tabsBecomeFourSpacesAndUnknownCharactersBecomeQuestionMarks() {
    assertThat(tokenizer.decode(tokenizer.encode("\tx\r\u00e9\u0001"))).isEqualTo("    x???");
  }

  @Test
  void decodeSkipsPadAndBosAndStopsAtEos() {
    int[] ids = {CharTokenizer.BOS, CharTokenizer.PAD, 'h' - 28, 'i' - 28, CharTokenizer.EOS, 'x' - 28};
    assertThat(tokenizer.decode(ids)).isEqualTo("hi");
  }

  @Test
  void decodeRejectsIdsOutsideTheVocabulary() {
    assertThatThrownBy(() -> tokenizer.decode(new int[] {99}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
