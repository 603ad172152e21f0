package dev.autodidact.core.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProgramGeneratorTest {
  private static final int INPUTS = 6;
  private static final List<String> FORBIDDEN =
      List.of("import", "while", "print", "open", "eval", "exec", "__", "random", "time", "lambda", "**");
  private static final Set<String> BUILTINS =
      Set.of("abs", "len", "min", "max", "sum", "sorted", "reversed", "range", "str", "int", "list",
          "enumerate", "zip", "any", "all");
  private static final Pattern CALL = Pattern.compile("(?<![.\\w])([A-Za-z_]\\w*)\\(");
  private static final Pattern INT = Pattern.compile("-?\\d+");
  private static final Pattern STR = Pattern.compile("'[a-z0-9]*'");
  private static final Pattern INT_LIST = Pattern.compile("\\[(-?\\d+(, -?\\d+)*)?]");

  static List<Difficulty> difficulties() {
    return List.of(Difficulty.easy(), Difficulty.medium(), Difficulty.hard());
  }

  private static SeedStream seed(long index) {
    return SeedStream.of(2024, 0, Phase.PRETRAIN_CORPUS, index);
  }

  private static List<ProgramSample> samples(Difficulty difficulty, int count) {
    ProgramGenerator generator = new ProgramGenerator(difficulty);
    List<ProgramSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      samples.add(generator.generate(seed(i), INPUTS));
    }
    return samples;
  }

  @ParameterizedTest
  @MethodSource("difficulties")
  void theSameStreamGivesTheSameSample(Difficulty difficulty) {
    ProgramGenerator generator = new ProgramGenerator(difficulty);
    for (int i = 0; i < 50; i++) {
      assertThat(generator.generate(seed(i), INPUTS)).isEqualTo(generator.generate(seed(i), INPUTS));
    }
  }

  @Test
  void theSampleDependsOnTheStreamsPositionNotOnItsHistory() {
    ProgramGenerator generator = new ProgramGenerator(Difficulty.medium());
    SeedStream a = seed(9);
    SeedStream b = seed(9);
    for (int i = 0; i < 5; i++) {
      a.nextLong();
      b.nextLong();
    }
    ProgramSample first = generator.generate(a, INPUTS);
    assertThat(generator.generate(b, INPUTS)).isEqualTo(first);
    assertThat(generator.generate(seed(9), INPUTS)).isNotEqualTo(first);
  }

  @Test
  void differentSeedsGiveDifferentPrograms() {
    Set<String> programs = new HashSet<>();
    for (ProgramSample sample : samples(Difficulty.medium(), 1000)) {
      programs.add(sample.program());
    }
    assertThat(programs.size()).isGreaterThanOrEqualTo(950);
  }

  @ParameterizedTest
  @MethodSource("difficulties")
  void everySampleIsWellFormed(Difficulty difficulty) {
    for (ProgramSample sample : samples(difficulty, 2000)) {
      assertWellFormed(sample, difficulty, INPUTS);
    }
  }

  @Property(tries = 300)
  void anyStreamGivesAWellFormedSample(
      @ForAll long runSeed,
      @ForAll @IntRange(min = 0, max = 12) int inputCount,
      @ForAll("allDifficulties") Difficulty difficulty) {
    SeedStream rng = SeedStream.of(runSeed, 3, Phase.HELDOUT, 0);
    assertWellFormed(new ProgramGenerator(difficulty).generate(rng, inputCount), difficulty, inputCount);
  }

  @Provide
  Arbitrary<Difficulty> allDifficulties() {
    return Arbitraries.of(difficulties());
  }

  @Test
  void hardProgramsAreLongerAndDeeperThanEasyOnes() {
    double[] easy = lengthAndDepth(samples(Difficulty.easy(), 500));
    double[] medium = lengthAndDepth(samples(Difficulty.medium(), 500));
    double[] hard = lengthAndDepth(samples(Difficulty.hard(), 500));
    assertThat(medium[0]).isGreaterThan(easy[0] * 1.2);
    assertThat(hard[0]).isGreaterThan(medium[0] * 1.4);
    assertThat(hard[1]).isGreaterThan(easy[1]);
    assertThat(hard[2]).isGreaterThan(easy[2]);
  }

  @Test
  void programsMixTheGrammarsStatementsAndTypes() {
    List<ProgramSample> samples = samples(Difficulty.medium(), 1000);
    assertThat(fraction(samples, "(?m)^\\s+for ")).isGreaterThan(0.15);
    assertThat(fraction(samples, "(?m)^\\s+if ")).isGreaterThan(0.3);
    assertThat(fraction(samples, " for \\w+(, \\w+)? in [^:]*[)\\]]")).isGreaterThan(0.2);
    for (Pattern type : List.of(INT, STR, INT_LIST)) {
      long withType =
          samples.stream().filter(s -> s.inputs().stream().anyMatch(i -> type.matcher(i).find())).count();
      assertThat(withType).isGreaterThan(150);
    }
  }

  @Test
  void disabledFeaturesStayOut() {
    Difficulty plain = new Difficulty(4, 3, 2, false, false, false, false, 9, 200);
    ProgramGenerator generator = new ProgramGenerator(plain);
    for (int i = 0; i < 300; i++) {
      ProgramSample sample = generator.generate(seed(i), INPUTS);
      assertWellFormed(sample, plain, INPUTS);
      assertThat(sample.program()).doesNotContain("for ", "if ", "else", "'");
      assertThat(String.join(" ", sample.inputs())).doesNotContain("'", "[");
    }
  }

  @Test
  void rejectsImpossibleRequests() {
    ProgramGenerator generator = new ProgramGenerator(Difficulty.easy());
    assertThatThrownBy(() -> generator.generate(seed(0), -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(generator.generate(seed(0), 0).inputs()).isEmpty();
    assertThatThrownBy(() -> new Difficulty(3, 0, 2, true, true, true, true, 9, 120))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Difficulty(3, 2, 4, true, true, true, true, 9, 120))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void integerOnlyProgramsStillFindManyDistinctInputs() {
    Difficulty ints = new Difficulty(3, 2, 1, true, true, false, false, 9, 200);
    ProgramSample sample = new ProgramGenerator(ints).generate(seed(1), 15);
    assertThat(sample.inputs()).hasSize(15).doesNotHaveDuplicates();
  }

  // ---------------------------------------------------------------- checks

  private static void assertWellFormed(ProgramSample sample, Difficulty difficulty, int inputCount) {
    String program = sample.program();
    assertThat(program).startsWith("def f(").endsWith("\n");
    assertThat(program.length()).isLessThanOrEqualTo(difficulty.maxProgramChars());
    assertThat(program.split("def ", -1)).hasSize(2);
    for (String token : FORBIDDEN) {
      assertThat(program).as("forbidden %s in%n%s", token, program).doesNotContain(token);
    }
    assertThat(program.replace("//", "")).as(program).doesNotContain("/");
    assertThat(program).contains("    return ");
    assertIndentation(program);
    String body = program.substring(program.indexOf('\n'));
    Matcher call = CALL.matcher(body.replaceAll("'[^']*'", "''"));
    while (call.find()) {
      assertThat(call.group(1)).as(program).isIn(BUILTINS);
    }

    List<String> parameters = parameters(program);
    assertThat(parameters).isNotEmpty().hasSizeLessThanOrEqualTo(difficulty.maxParameters());
    assertThat(sample.inputs()).hasSize(inputCount).doesNotHaveDuplicates();
    for (String input : sample.inputs()) {
      List<String> arguments = splitArguments(input);
      assertThat(arguments).as("%s for %s", input, parameters).hasSameSizeAs(parameters);
      for (int i = 0; i < arguments.size(); i++) {
        assertFits(parameters.get(i), arguments.get(i), difficulty);
      }
    }
  }

  private static void assertIndentation(String program) {
    String[] lines = program.split("\n");
    int previous = 0;
    boolean opensBlock = true;
    for (String line : lines) {
      assertThat(line).doesNotContain("\t").isNotBlank();
      int indent = line.length() - line.stripLeading().length();
      if (line.startsWith("def ")) {
        assertThat(indent).isZero();
        continue;
      }
      assertThat(indent % 4).as(program).isZero();
      if (opensBlock) {
        assertThat(indent).as(program).isEqualTo(previous + 4);
      } else {
        assertThat(indent).as(program).isBetween(4, previous);
      }
      previous = indent;
      opensBlock = line.endsWith(":");
    }
    assertThat(opensBlock).isFalse();
  }

  /** Names are typed by convention: x, y, n are ints; s, t, w strings; xs, ys, zs lists. */
  private static void assertFits(String parameter, String argument, Difficulty difficulty) {
    switch (parameter) {
      case "x", "y", "n" -> {
        assertThat(argument).matches(INT);
        long value = Long.parseLong(argument);
        assertThat(Math.abs(value)).isLessThanOrEqualTo(difficulty.maxLiteral());
        if (parameter.equals("n")) {
          assertThat(value).isNotNegative();
        }
      }
      case "s", "t", "w" -> {
        assertThat(argument).matches(STR);
        assertThat(argument.length() - 2).isLessThanOrEqualTo(8);
      }
      case "xs", "ys", "zs" -> {
        assertThat(argument).matches(INT_LIST);
        assertThat(argument.chars().filter(c -> c == ',').count()).isLessThanOrEqualTo(5);
      }
      default -> throw new AssertionError("unexpected parameter " + parameter);
    }
  }

  private static List<String> parameters(String program) {
    String header = program.substring("def f(".length(), program.indexOf("):"));
    return header.isEmpty() ? List.of() : List.of(header.split(", "));
  }

  /** Splits "1, [2, 3], 'a'" at the commas outside brackets and quotes. */
  private static List<String> splitArguments(String input) {
    List<String> arguments = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        depth++;
      } else if (!quoted && c == ']') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        arguments.add(input.substring(start, i).strip());
        start = i + 1;
      }
    }
    arguments.add(input.substring(start).strip());
    return arguments;
  }

  /** Mean length, mean line count and mean deepest bracket nesting. */
  private static double[] lengthAndDepth(List<ProgramSample> samples) {
    double length = 0;
    double lines = 0;
    double depth = 0;
    for (ProgramSample sample : samples) {
      String program = sample.program().replaceAll("'[^']*'", "''");
      length += program.length();
      lines += program.split("\n").length;
      int open = 0;
      int deepest = 0;
      for (char c : program.toCharArray()) {
        if (c == '(' || c == '[') {
          deepest = Math.max(deepest, ++open);
        } else if (c == ')' || c == ']') {
          open--;
        }
      }
      depth += deepest;
    }
    return new double[] {length / samples.size(), depth / samples.size(), lines / samples.size()};
  }

  private static double fraction(List<ProgramSample> samples, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return samples.stream().filter(s -> pattern.matcher(s.program()).find()).count() / (double) samples.size();
  }
}
