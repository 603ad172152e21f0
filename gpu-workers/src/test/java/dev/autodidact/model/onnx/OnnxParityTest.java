package dev.autodidact.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.GptConfig;
import dev.autodidact.model.OnnxSignature;
import dev.autodidact.model.OptimizerConfig;
import dev.autodidact.model.Policies;
import dev.autodidact.model.Policy;
import dev.autodidact.model.djl.DjlReference;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exported graph on ONNX Runtime against the DJL engine's forward pass, on the same weights
 * (trained a few steps, so biases and LayerNorm parameters are no longer at their init).
 */
class OnnxParityTest {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxParityTest.class);
  static final float LOGIT_TOLERANCE = 1e-4f;

  private static Policy policy;
  private static OnnxRolloutEngine engine;

  @BeforeAll
  static void trainAndExport() {
    policy = Policies.create(GptConfig.tiny(), 31, 1);
    OptimizerConfig opt = OptimizerConfig.defaults().withLearningRate(1e-2f);
    for (int step = 0; step < 3; step++) {
      policy.supervisedStep(List.of(tokens(100 + step, 40), tokens(200 + step, 90)), opt);
    }
    engine = OnnxRolloutEngine.create(Policies.exportOnnx(policy), 1);
  }

  @AfterAll
  static void close() {
    engine.close();
    policy.close();
  }

  @Test
  void everyPositionsLogitsMatchDjl() {
    int context = policy.contextLength();
    for (int length : new int[] {1, 2, 17, 60, context}) {
      int[] row = withBos(tokens(length, length - 1));
      float[] onnx = engine.logits(ids(row), positions(row.length, 0), ones(row.length), 1);
      assertClose(DjlReference.logits(policy, row), onnx, 0, row.length, "length " + length);
    }
  }

  @Test
  void aLeftPaddedBatchMatchesEachRowAlone() {
    int[][] rows = {withBos(tokens(1, 30)), withBos(tokens(2, 4)), withBos(tokens(3, 0)),
        withBos(tokens(4, 17))};
    int width = 31;
    long[] ids = new long[rows.length * width];
    long[] positions = new long[rows.length * width];
    long[] mask = new long[rows.length * width];
    for (int r = 0; r < rows.length; r++) {
      int pad = width - rows[r].length;
      for (int j = pad; j < width; j++) {
        ids[r * width + j] = rows[r][j - pad];
        positions[r * width + j] = j - pad;
        mask[r * width + j] = 1;
      }
    }
    float[] onnx = engine.logits(ids, positions, mask, rows.length);
    for (int r = 0; r < rows.length; r++) {
      int pad = width - rows[r].length;
      float[][] djl = DjlReference.logits(policy, rows[r]);
      assertClose(djl, onnx, r * width + pad, rows[r].length, "row " + r);
    }
  }

  @Test
  void cachedDecodingMatchesTheFullForwardPass() {
    int[][] full = {withBos(tokens(5, 70)), withBos(tokens(6, 50)), withBos(tokens(7, 80))};
    int[] prompt = {9, 3, 25};
    int steps = 45;
    int[][] prompts = new int[full.length][];
    for (int r = 0; r < full.length; r++) {
      prompts[r] = Arrays.copyOf(full[r], prompt[r]);
    }
    try (OnnxKvDecoder decoder = engine.decoder(OnnxSignature.LOGITS)) {
      float[] scores = decoder.prefill(prompts, steps);
      for (int s = 0; ; s++) {
        for (int r = 0; r < full.length; r++) {
          int seen = prompt[r] + s;
          float[][] djl = DjlReference.logits(policy, Arrays.copyOf(full[r], seen));
          assertClose(new float[][] {djl[seen - 1]}, Arrays.copyOfRange(scores,
              r * policy.vocabSize(), (r + 1) * policy.vocabSize()), 0, 1, "row " + r + " step " + s);
        }
        if (s == steps) {
          break;
        }
        int[] next = new int[full.length];
        for (int r = 0; r < full.length; r++) {
          next[r] = full[r][prompt[r] + s];
        }
        scores = decoder.step(next);
      }
    }
  }

  @Test
  void theDefaultModelsLogitsMatchDjl() {
    try (Policy small = Policies.create(GptConfig.small(), 32, 1);
        OnnxRolloutEngine smallEngine = OnnxRolloutEngine.create(Policies.exportOnnx(small), 1)) {
      int[] row = withBos(tokens(8, 150));
      float[] onnx = smallEngine.logits(ids(row), positions(row.length, 0), ones(row.length), 1);
      assertClose(DjlReference.logits(small, row), onnx, 0, row.length, "small model");
    }
  }

  @Test
  void theEngineCarriesThePolicyVersion() {
    assertThat(engine.version()).isEqualTo(policy.version()).isEqualTo(3);
    assertThat(engine.vocabSize()).isEqualTo(policy.vocabSize());
    assertThat(engine.contextLength()).isEqualTo(policy.contextLength());
  }

  /** {@code rows}, each {@code [T][V]}, against {@code onnx[offset ..]} of {@code [.., V]}. */
  private static void assertClose(float[][] djl, float[] onnx, int offset, int count, String what) {
    int vocab = djl[0].length;
    float worst = 0;
    for (int t = 0; t < count; t++) {
      for (int v = 0; v < vocab; v++) {
        worst = Math.max(worst, Math.abs(djl[t][v] - onnx[(offset + t) * vocab + v]));
      }
    }
    LOG.debug("ONNX vs DJL logits, {}: max |difference| {}", what, worst);
    assertThat(worst).as(what).isLessThan(LOGIT_TOLERANCE);
  }

  static int[] tokens(long seed, int length) {
    SeedStream stream = SeedStream.of(seed, 0, Phase.EVAL, 0);
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = CharTokenizer.NEWLINE + stream.nextInt(96);
    }
    return ids;
  }

  static int[] withBos(int[] body) {
    int[] row = new int[body.length + 1];
    row[0] = CharTokenizer.BOS;
    System.arraycopy(body, 0, row, 1, body.length);
    return row;
  }

  private static long[] ids(int[] row) {
    long[] ids = new long[row.length];
    for (int i = 0; i < row.length; i++) {
      ids[i] = row[i];
    }
    return ids;
  }

  private static long[] positions(int count, int first) {
    long[] positions = new long[count];
    for (int i = 0; i < count; i++) {
      positions[i] = first + i;
    }
    return positions;
  }

  private static long[] ones(int count) {
    long[] ones = new long[count];
    Arrays.fill(ones, 1);
    return ones;
  }
}
