package dev.autodidact.model.djl;

import java.util.Arrays;

/**
 * One named parameter tensor of the model: its shape and how it is initialised.
 *
 * @param initStd standard deviation of the normal initialisation, or 0 for a constant
 * @param initConstant the constant when {@code initStd} is 0
 */
record TensorSpec(String name, long[] shape, double initStd, float initConstant) {

  static TensorSpec normal(String name, double std, long... shape) {
    return new TensorSpec(name, shape, std, 0f);
  }

  static TensorSpec constant(String name, float value, long... shape) {
    return new TensorSpec(name, shape, 0, value);
  }

  int size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return Math.toIntExact(n);
  }

  boolean decays() {
    return TrainableTensor.decaysByRank(shape);
  }

  boolean sameShape(long[] other) {
    return Arrays.equals(shape, other);
  }
}
