package dev.autodidact.model.djl;

import ai.djl.ndarray.NDArray;

/**
 * A parameter tensor the optimizer updates in place, in a model's fixed (checkpoint) order.
 *
 * @param name unique within its model
 * @param value requires a gradient; lives as long as its model
 * @param decays whether AdamW's decoupled weight decay applies to it
 */
record TrainableTensor(String name, NDArray value, boolean decays) {

  /** Matrices and embeddings decay; biases and normalisation gains (rank below 2) do not. */
  static boolean decaysByRank(long[] shape) {
    return shape.length >= 2;
  }
}
