package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.autodidact.model.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), with moments this class
 * owns so that a checkpoint can carry them exactly (DJL's own optimizers do not expose them).
 * Works on any list of {@link TrainableTensor}s; the moments live in the given manager. Call
 * inside an {@link NDScope} with grad mode off.
 */
final class AdamW {
  private final List<TrainableTensor> params;
  private final List<NDArray> firstMoments;
  private final List<NDArray> secondMoments;
  private long steps;

  private AdamW(
      List<TrainableTensor> params, List<NDArray> first, List<NDArray> second, long steps) {
    this.params = List.copyOf(params);
    this.firstMoments = first;
    this.secondMoments = second;
    this.steps = steps;
  }

  static AdamW fresh(List<TrainableTensor> params, NDManager manager) {
    List<float[]> zeros = new ArrayList<>();
    for (TrainableTensor p : params) {
      zeros.add(new float[Math.toIntExact(p.value().size())]);
    }
    return restored(params, manager, zeros, zeros, 0);
  }

  /** Moments in the order of {@code params}, each flattened row-major. */
  static AdamW restored(List<TrainableTensor> params, NDManager manager,
      List<float[]> first, List<float[]> second, long steps) {
    return new AdamW(
        params, tensors(params, manager, first), tensors(params, manager, second), steps);
  }

  private static List<NDArray> tensors(
      List<TrainableTensor> params, NDManager manager, List<float[]> values) {
    List<NDArray> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      NDArray tensor = manager.create(values.get(i), params.get(i).value().getShape());
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
    for (TrainableTensor p : params) {
      JniUtils.zeroGrad((PtNDArray) p.value());
    }
  }

  /** Global L2 norm of the accumulated gradients. */
  double gradientNorm() {
    NDArray total = null;
    for (TrainableTensor p : params) {
      NDArray squares = p.value().getGradient().square().sum();
      total = total == null ? squares : total.add(squares);
    }
    return Math.sqrt(total.getFloat());
  }

  /**
   * One AdamW update from the accumulated gradients, each scaled by {@code gradientScale}
   * (the global-norm clip). Decay applies to the tensors that ask for it.
   */
  void step(OptimizerConfig c, float gradientScale) {
    steps++;
    float firstCorrection = (float) (1 - StrictMath.pow(c.beta1(), steps));
    float secondCorrection = (float) (1 - StrictMath.pow(c.beta2(), steps));
    float decay = 1 - c.learningRate() * c.weightDecay();
    for (int i = 0; i < params.size(); i++) {
      NDArray p = params.get(i).value();
      NDArray m = firstMoments.get(i);
      NDArray v = secondMoments.get(i);
      NDArray g = p.getGradient();
      if (gradientScale != 1f) {
        g = g.mul(gradientScale);
      }
      m.muli(c.beta1()).addi(g.mul(1 - c.beta1()));
      v.muli(c.beta2()).addi(g.square().muli(1 - c.beta2()));
      if (params.get(i).decays() && c.weightDecay() != 0f) {
        p.muli(decay);
      }
      NDArray denominator = v.div(secondCorrection).sqrt().addi(c.epsilon());
      p.subi(m.div(denominator).muli(c.learningRate() / firstCorrection));
    }
  }
}
