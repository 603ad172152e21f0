package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.autodidact.core.random.Phase;
import dev.autodidact.core.random.SeedStream;
import dev.autodidact.model.GptConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in GPT: its trainable tensors, in one fixed order (the checkpoint order), and its
 * forward pass ({@link GptModel}) as a {@link LanguageModel}. Linear weights are stored
 * {@code [out, in]}, as {@code torch.nn.functional.linear} expects. The tensors belong to the
 * manager they were created in and are freed with it.
 */
final class GptParameters implements LanguageModel {
  /**
   * Bytes of one {@code [rows, heads, T, T]} attention tensor: kept under the allocator's
   * mmap threshold, so the buffer is reused instead of page-faulted in at every step. Training
   * no longer materialises that tensor ({@link CausalAttention}), but the bound still pays: with
   * it lifted (8 rows of 512 instead of 3 for the ~5M model) training ran 6x slower here, for a
   * reason not found yet.
   */
  static final long ATTENTION_BYTES_PER_MICRO_BATCH =
      NativeAllocator.MMAP_THRESHOLD_BYTES - (1 << 20);

  private static final double INIT_STD = 0.02;

  /** The tensors of one pre-LayerNorm block. */
  record Block(
      NDArray ln1Gain, NDArray ln1Bias,
      NDArray qkvWeight, NDArray qkvBias,
      NDArray projWeight, NDArray projBias,
      NDArray ln2Gain, NDArray ln2Bias,
      NDArray fcWeight, NDArray fcBias,
      NDArray outWeight, NDArray outBias) {}

  private final GptConfig config;
  private final NDManager manager;
  private final List<TensorSpec> specs;
  private final List<NDArray> tensors;
  private final NDArray tokenEmbedding;
  private final NDArray positionEmbedding;
  private final Block[] blocks;
  private final NDArray finalGain;
  private final NDArray finalBias;

  private GptParameters(GptConfig config, NDManager manager, List<NDArray> tensors) {
    this.config = config;
    this.manager = manager;
    this.specs = layout(config);
    this.tensors = List.copyOf(tensors);
    int i = 0;
    tokenEmbedding = tensors.get(i++);
    positionEmbedding = tensors.get(i++);
    blocks = new Block[config.layers()];
    for (int l = 0; l < blocks.length; l++) {
      blocks[l] = new Block(
          tensors.get(i++), tensors.get(i++), tensors.get(i++), tensors.get(i++),
          tensors.get(i++), tensors.get(i++), tensors.get(i++), tensors.get(i++),
          tensors.get(i++), tensors.get(i++), tensors.get(i++), tensors.get(i++));
    }
    finalGain = tensors.get(i++);
    finalBias = tensors.get(i);
  }

  /**
   * The tensors in checkpoint order: token and position embeddings, each block (LayerNorm,
   * fused QKV, attention projection, LayerNorm, MLP in, MLP out), final LayerNorm. Residual
   * output projections start smaller (GPT-2's 1/sqrt(2 * layers)) so the residual stream
   * does not grow with depth.
   */
  static List<TensorSpec> layout(GptConfig config) {
    long d = config.embedDim();
    double residualStd = INIT_STD / Math.sqrt(2.0 * config.layers());
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(TensorSpec.normal("wte", INIT_STD, config.vocabSize(), d));
    specs.add(TensorSpec.normal("wpe", INIT_STD, config.contextLength(), d));
    for (int l = 0; l < config.layers(); l++) {
      String p = "h" + l + ".";
      specs.add(TensorSpec.constant(p + "ln1.gain", 1f, d));
      specs.add(TensorSpec.constant(p + "ln1.bias", 0f, d));
      specs.add(TensorSpec.normal(p + "attn.qkv.weight", INIT_STD, 3 * d, d));
      specs.add(TensorSpec.constant(p + "attn.qkv.bias", 0f, 3 * d));
      specs.add(TensorSpec.normal(p + "attn.proj.weight", residualStd, d, d));
      specs.add(TensorSpec.constant(p + "attn.proj.bias", 0f, d));
      specs.add(TensorSpec.constant(p + "ln2.gain", 1f, d));
      specs.add(TensorSpec.constant(p + "ln2.bias", 0f, d));
      specs.add(TensorSpec.normal(p + "mlp.fc.weight", INIT_STD, 4 * d, d));
      specs.add(TensorSpec.constant(p + "mlp.fc.bias", 0f, 4 * d));
      specs.add(TensorSpec.normal(p + "mlp.out.weight", residualStd, d, 4 * d));
      specs.add(TensorSpec.constant(p + "mlp.out.bias", 0f, d));
    }
    specs.add(TensorSpec.constant("lnf.gain", 1f, d));
    specs.add(TensorSpec.constant("lnf.bias", 0f, d));
    return List.copyOf(specs);
  }

  /** Fresh weights: tensor {@code i} draws from {@code SeedStream.of(seed, 0, MODEL_INIT, i)}. */
  static GptParameters initialise(GptConfig config, long seed, NDManager manager) {
    List<TensorSpec> specs = layout(config);
    List<float[]> values = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      values.add(initialValues(specs.get(i), SeedStream.of(seed, 0, Phase.MODEL_INIT, i)));
    }
    return fromValues(config, values, manager);
  }

  /** Weights from values in {@link #layout} order, each flattened row-major. */
  static GptParameters fromValues(GptConfig config, List<float[]> values, NDManager manager) {
    List<TensorSpec> specs = layout(config);
    List<NDArray> tensors = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      TensorSpec spec = specs.get(i);
      NDArray tensor = manager.create(values.get(i), new Shape(spec.shape()));
      NDScope.unregister(tensor);
      tensor.setName(spec.name());
      tensor.setRequiresGradient(true);
      tensors.add(tensor);
    }
    return new GptParameters(config, manager, tensors);
  }

  private static float[] initialValues(TensorSpec spec, SeedStream stream) {
    float[] values = new float[spec.size()];
    if (spec.initStd() == 0) {
      java.util.Arrays.fill(values, spec.initConstant());
      return values;
    }
    // Box-Muller in StrictMath, so the initial weights are the same on every JVM.
    for (int i = 0; i < values.length; i += 2) {
      double radius = StrictMath.sqrt(-2 * StrictMath.log(stream.nextOpenDouble()));
      double angle = 2 * StrictMath.PI * stream.nextDouble();
      values[i] = (float) (spec.initStd() * radius * StrictMath.cos(angle));
      if (i + 1 < values.length) {
        values[i + 1] = (float) (spec.initStd() * radius * StrictMath.sin(angle));
      }
    }
    return values;
  }

  GptConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public int contextLength() {
    return config.contextLength();
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public NDArray logits(NDArray ids) {
    return GptModel.logits(this, ids);
  }

  /** At most {@code tokenBudget} padded positions and one attention buffer per micro-batch. */
  @Override
  public int rowsPerMicroBatch(int width, int tokenBudget) {
    long attentionBytesPerRow = 4L * config.heads() * width * width;
    long byAttention = ATTENTION_BYTES_PER_MICRO_BATCH / attentionBytesPerRow;
    return (int) Math.max(1, Math.min(tokenBudget / width, byAttention));
  }

  /** The tensors as the optimizer sees them, in checkpoint order. */
  List<TrainableTensor> trainables() {
    List<TrainableTensor> out = new ArrayList<>(tensors.size());
    for (int i = 0; i < tensors.size(); i++) {
      out.add(new TrainableTensor(specs.get(i).name(), tensors.get(i), specs.get(i).decays()));
    }
    return out;
  }

  List<TensorSpec> specs() {
    return specs;
  }

  /** All tensors in checkpoint order. */
  List<NDArray> tensors() {
    return tensors;
  }

  NDArray tokenEmbedding() {
    return tokenEmbedding;
  }

  NDArray positionEmbedding() {
    return positionEmbedding;
  }

  Block block(int layer) {
    return blocks[layer];
  }

  NDArray finalGain() {
    return finalGain;
  }

  NDArray finalBias() {
    return finalBias;
  }
}
