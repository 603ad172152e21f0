package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.autodidact.model.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), with moments this class
 * owns so that a checkpoint can carry them exactly; they live in the parameters' manager.
 * Call inside an {@link NDScope} with grad mode off.
 */
final class AdamW {
  private final List<NDArray> params;
  private final List<TensorSpec> specs;
  private final List<NDArray> firstMoments;
  private final List<NDArray> secondMoments;
  private long steps;

  private AdamW(GptParameters p, List<NDArray> first, List<NDArray> second, long steps) {
    this.params = p.tensors();
    this.specs = p.specs();
    this.firstMoments = first;
    this.secondMoments = second;
    this.steps = steps;
  }

  static AdamW fresh(GptParameters p) {
    List<float[]> zeros = new ArrayList<>();
    for (TensorSpec spec : p.specs()) {
      zeros.add(new float[spec.size()]);
    }
    return restored(p, zeros, zeros, 0);
  }

  static AdamW restored(GptParameters p, List<float[]> first, List<float[]> second, long steps) {
    return new AdamW(p, tensors(p, first), tensors(p, second), steps);
  }

  private static List<NDArray> tensors(GptParameters p, List<float[]> values) {
    NDManager manager = p.manager();
    List<NDArray> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      NDArray tensor = manager.create(values.get(i), new Shape(p.specs().get(i).shape()));
      NDScope.unregister(tensor);
      out.add(tensor);
    }
    return List.copyOf(out);
  }

  /** Applied updates so far: the {@code t} of the bias correction. */
  long steps() {
    return steps;
  }

  List<NDArray> firstMoments() {
    return firstMoments;
  }

  List<NDArray> secondMoments() {
    return secondMoments;
  }

  /** Sets every gradient to exactly zero (a NaN gradient included). */
  void zeroGradients() {
    for (NDArray p : params) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }

  /** Global L2 norm of the accumulated gradients. */
  double gradientNorm() {
    NDArray total = null;
    for (NDArray p : params) {
      NDArray squares = p.getGradient().square().sum();
      total = total == null ? squares : total.add(squares);
    }
    return Math.sqrt(total.getFloat());
  }

  /**
   * One AdamW update from the accumulated gradients, each scaled by {@code gradientScale}
   * (the global-norm clip). Decay applies to matrices and embeddings only.
   */
  void step(OptimizerConfig c, float gradientScale) {
    steps++;
    float firstCorrection = (float) (1 - StrictMath.pow(c.beta1(), steps));
    float secondCorrection = (float) (1 - StrictMath.pow(c.beta2(), steps));
    float decay = 1 - c.learningRate() * c.weightDecay();
    for (int i = 0; i < params.size(); i++) {
      NDArray p = params.get(i);
      NDArray m = firstMoments.get(i);
      NDArray v = secondMoments.get(i);
      NDArray g = p.getGradient();
      if (gradientScale != 1f) {
        g = g.mul(gradientScale);
      }
      m.muli(c.beta1()).addi(g.mul(1 - c.beta1()));
      v.muli(c.beta2()).addi(g.square().muli(1 - c.beta2()));
      if (specs.get(i).decays() && c.weightDecay() != 0f) {
        p.muli(decay);
      }
      NDArray denominator = v.div(secondCorrection).sqrt().addi(c.epsilon());
      p.subi(m.div(denominator).muli(c.learningRate() / firstCorrection));
    }
  }
}
