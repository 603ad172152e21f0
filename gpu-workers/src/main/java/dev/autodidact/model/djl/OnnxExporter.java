package dev.autodidact.model.djl;

import static dev.autodidact.model.djl.OnnxGraph.FLOAT;
import static dev.autodidact.model.djl.OnnxGraph.INT64;
import static dev.autodidact.model.djl.OnnxGraph.floatAttribute;
import static dev.autodidact.model.djl.OnnxGraph.intAttribute;
import static dev.autodidact.model.djl.OnnxGraph.intsAttribute;

import dev.autodidact.model.GptConfig;
import dev.autodidact.model.OnnxSignature;
import dev.autodidact.model.djl.proto.Onnx;
import java.util.List;

/**
 * Writes a checkpoint's weights as an ONNX model that runs {@link GptModel}'s forward pass as a
 * decoder with a key/value cache (interface: {@link OnnxSignature}). The initializers are the
 * checkpoint's tensors, unchanged and under their checkpoint names; linear weights stay
 * {@code [out, in]} behind a Transpose node, which ONNX Runtime folds when it loads the model.
 *
 * <p>Every operation mirrors {@link GptModel} and {@link KvDecoder} in the same order (q scaled
 * before {@code q k^T}, additive finite masks, exact erf GELU as PyTorch's default, LayerNorm
 * eps 1e-5), so both engines agree to float32 rounding. The bytes are a pure function of the
 * checkpoint: exporting the same weights twice gives the same model.
 */
public final class OnnxExporter {
  /** The ONNX IR version released with opset 17 (ONNX 1.12). */
  private static final long IR_VERSION = 8;

  private static final float LAYER_NORM_EPS = 1e-5f;
  private static final long[] SCALAR = {};

  private OnnxExporter() {}

  /**
   * The ONNX model of a checkpoint's weights.
   *
   * @throws IllegalArgumentException with a one-line reason if the bytes are not a valid
   *     checkpoint (truncated, corrupted, unknown format)
   */
  public static byte[] export(byte[] checkpoint) {
    return model(CheckpointCodec.decode(checkpoint)).toByteArray();
  }

  static Onnx.ModelProto model(CheckpointCodec.State state) {
    GptConfig c = state.config();
    OnnxGraph g = new OnnxGraph("autodidact_gpt", "Decoder-only transformer with a key/value cache;"
        + " inputs and outputs as documented by dev.autodidact.model.OnnxSignature.");
    for (CheckpointCodec.TensorState t : state.tensors()) {
      g.floats(t.name(), t.shape(), t.weights());
    }
    declareInputs(g, c);
    Constants k = Constants.add(g, c);
    String bias = attentionBias(g, k);
    String x = g.op("Add", "embedded",
        g.op("Gather", "token_embedding", "wte", OnnxSignature.INPUT_IDS),
        g.op("Gather", "position_embedding", "wpe", OnnxSignature.POSITION_IDS)); // [B, S, C]
    for (int l = 0; l < c.layers(); l++) {
      x = block(g, k, l, x, bias);
    }
    String normed = layerNorm(g, "lnf", x);
    String logits = g.op("MatMul", OnnxSignature.LOGITS, normed, transposed(g, "wte"));
    g.op("LogSoftmax", OnnxSignature.LOG_PROBS, List.of(intAttribute("axis", -1)), logits);
    declareOutputs(g, c);
    return Onnx.ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder()
            .setDomain("").setVersion(OnnxSignature.OPSET))
        .setProducerName("autodidact")
        .setModelVersion(state.version())
        .setGraph(g.build())
        .addAllMetadataProps(metadata(state))
        .build();
  }

  private static void declareInputs(OnnxGraph g, GptConfig c) {
    g.input(OnnxSignature.INPUT_IDS, INT64, "batch", "sequence");
    g.input(OnnxSignature.POSITION_IDS, INT64, "batch", "sequence");
    g.input(OnnxSignature.ATTENTION_MASK, INT64, "batch", "total");
    for (int l = 0; l < c.layers(); l++) {
      g.input(OnnxSignature.pastKey(l), FLOAT, "batch", c.heads(), "past", c.headDim());
      g.input(OnnxSignature.pastValue(l), FLOAT, "batch", c.heads(), "past", c.headDim());
    }
  }

  private static void declareOutputs(OnnxGraph g, GptConfig c) {
    g.output(OnnxSignature.LOGITS, FLOAT, "batch", "sequence", c.vocabSize());
    g.output(OnnxSignature.LOG_PROBS, FLOAT, "batch", "sequence", c.vocabSize());
    for (int l = 0; l < c.layers(); l++) {
      g.output(OnnxSignature.presentKey(l), FLOAT, "batch", c.heads(), "total", c.headDim());
      g.output(OnnxSignature.presentValue(l), FLOAT, "batch", c.heads(), "total", c.headDim());
    }
  }

  /** The small constant tensors the graph uses, each added once. */
  private record Constants(
      String zero, String one, String two, String axisOne, String axesOneTwo,
      String masked, String zeroF, String oneF, String half, String invSqrt2, String queryScale,
      String headsShape, String mergedShape) {

    static Constants add(OnnxGraph g, GptConfig c) {
      return new Constants(
          g.longs("const.zero", SCALAR, 0),
          g.longs("const.one", SCALAR, 1),
          g.longs("const.two", SCALAR, 2),
          g.longs("const.axis_1", new long[] {1}, 1),
          g.longs("const.axes_1_2", new long[] {2}, 1, 2),
          g.floats("const.masked", SCALAR, GptModel.MASKED),
          g.floats("const.zero_f", SCALAR, 0f),
          g.floats("const.one_f", SCALAR, 1f),
          g.floats("const.half", SCALAR, 0.5f),
          g.floats("const.inv_sqrt2", SCALAR, (float) (1 / Math.sqrt(2))),
          g.floats("const.query_scale", SCALAR, (float) (1.0 / Math.sqrt(c.headDim()))),
          g.longs("const.heads_shape", new long[] {4}, 0, 0, c.heads(), c.headDim()),
          g.longs("const.merged_shape", new long[] {3}, 0, 0, c.embedDim()));
    }
  }

  /**
   * The additive mask {@code [B, 1, S, T]} every layer adds to its attention scores: new query
   * {@code i} sits at column {@code past + i} and may see keys {@code 0 .. past + i}, minus the
   * padding columns of its row. Both parts are {@link GptModel#MASKED}, as in {@link KvDecoder}.
   */
  private static String attentionBias(OnnxGraph g, Constants k) {
    String sequence = g.op("Gather", "mask.sequence",
        g.op("Shape", "mask.ids_shape", OnnxSignature.INPUT_IDS), k.one());
    String past = g.op("Gather", "mask.past",
        g.op("Shape", "mask.past_shape", OnnxSignature.pastKey(0)), k.two());
    String total = g.op("Add", "mask.total", past, sequence);
    String keys = g.op("Range", "mask.key_index", k.zero(), total, k.one());         // [T]
    String queries = g.op("Unsqueeze", "mask.query_index",
        g.op("Range", "mask.query_column", past, total, k.one()), k.axisOne());      // [S, 1]
    String causal = g.op("Where", "mask.causal",
        g.op("Greater", "mask.future", keys, queries), k.masked(), k.zeroF());       // [S, T]
    String visible = g.op("Cast", "mask.visible",
        List.of(intAttribute("to", FLOAT)), OnnxSignature.ATTENTION_MASK);           // [B, T]
    String padding = g.op("Mul", "mask.padding",
        g.op("Sub", "mask.hidden", k.oneF(), visible), k.masked());
    return g.op("Add", "mask.bias", causal,
        g.op("Unsqueeze", "mask.padding_rows", padding, k.axesOneTwo()));            // [B, 1, S, T]
  }

  /** One pre-LayerNorm block, as {@link GptModel#block}; returns the new residual stream. */
  private static String block(OnnxGraph g, Constants k, int layer, String x, String bias) {
    String p = "h" + layer + ".";
    String qkv = linear(g, p + "attn.qkv", layerNorm(g, p + "ln1", x));        // [B, S, 3C]
    List<String> parts = List.of(p + "attn.q", p + "attn.k", p + "attn.v");
    g.ops("Split", parts, List.of(intAttribute("axis", -1)), qkv);             // [B, S, C] each
    String q = g.op("Mul", p + "attn.q_scaled", heads(g, k, parts.get(0)), k.queryScale());
    String keys = g.op("Concat", OnnxSignature.presentKey(layer),
        List.of(intAttribute("axis", 2)), OnnxSignature.pastKey(layer), heads(g, k, parts.get(1)));
    String values = g.op("Concat", OnnxSignature.presentValue(layer),
        List.of(intAttribute("axis", 2)), OnnxSignature.pastValue(layer), heads(g, k, parts.get(2)));
    String scores = g.op("Add", p + "attn.scores",
        g.op("MatMul", p + "attn.qk", q, g.op("Transpose", p + "attn.keys_t",
            List.of(intsAttribute("perm", 0, 1, 3, 2)), keys)), bias);         // [B, H, S, T]
    String weights = g.op("Softmax", p + "attn.weights", List.of(intAttribute("axis", -1)), scores);
    String merged = g.op("Reshape", p + "attn.merged",
        g.op("Transpose", p + "attn.by_position", List.of(intsAttribute("perm", 0, 2, 1, 3)),
            g.op("MatMul", p + "attn.mixed", weights, values)), k.mergedShape()); // [B, S, C]
    x = g.op("Add", p + "attn.residual", x, linear(g, p + "attn.proj", merged));

    String hidden = gelu(g, k, p + "mlp", linear(g, p + "mlp.fc", layerNorm(g, p + "ln2", x)));
    return g.op("Add", p + "mlp.residual", x, linear(g, p + "mlp.out", hidden));
  }

  /** {@code [B, S, C]} to {@code [B, H, S, D]}. */
  private static String heads(OnnxGraph g, Constants k, String x) {
    return g.op("Transpose", x + "_heads", List.of(intsAttribute("perm", 0, 2, 1, 3)),
        g.op("Reshape", x + "_split", x, k.headsShape()));
  }

  /** {@code x W^T + b} for the checkpoint's {@code <name>.weight [out, in]} and {@code .bias}. */
  private static String linear(OnnxGraph g, String name, String x) {
    String product = g.op("MatMul", name + ".matmul", x, transposed(g, name + ".weight"));
    return g.op("Add", name, product, name + ".bias");
  }

  private static String transposed(OnnxGraph g, String weight) {
    return g.op("Transpose", weight + ".T", List.of(intsAttribute("perm", 1, 0)), weight);
  }

  /** Over the last axis, with the checkpoint's {@code <name>.gain} and {@code .bias}. */
  private static String layerNorm(OnnxGraph g, String name, String x) {
    return g.op("LayerNormalization", name,
        List.of(intAttribute("axis", -1), floatAttribute("epsilon", LAYER_NORM_EPS)),
        x, name + ".gain", name + ".bias");
  }

  /** Exact GELU, {@code x * 0.5 * (1 + erf(x / sqrt 2))}: PyTorch's default, which DJL calls. */
  private static String gelu(OnnxGraph g, Constants k, String name, String x) {
    String erf = g.op("Erf", name + ".erf", g.op("Mul", name + ".scaled", x, k.invSqrt2()));
    return g.op("Mul", name + ".gelu",
        g.op("Mul", name + ".half", x, k.half()),
        g.op("Add", name + ".erf_plus_one", erf, k.oneF()));
  }

  private static List<Onnx.StringStringEntryProto> metadata(CheckpointCodec.State state) {
    GptConfig c = state.config();
    return List.of(
        entry(OnnxSignature.METADATA_POLICY_VERSION, state.version()),
        entry(OnnxSignature.METADATA_VOCAB_SIZE, c.vocabSize()),
        entry(OnnxSignature.METADATA_CONTEXT_LENGTH, c.contextLength()),
        entry(OnnxSignature.METADATA_EMBED_DIM, c.embedDim()),
        entry(OnnxSignature.METADATA_LAYERS, c.layers()),
        entry(OnnxSignature.METADATA_HEADS, c.heads()));
  }

  private static Onnx.StringStringEntryProto entry(String key, long value) {
    return Onnx.StringStringEntryProto.newBuilder()
        .setKey(key).setValue(Long.toString(value)).build();
  }
}
