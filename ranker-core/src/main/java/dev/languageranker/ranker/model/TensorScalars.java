package dev.languageranker.ranker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands in PyTorch's own memory, for ops on tensors that need gradients.
 *
 * <p>DJL's number overloads ({@code div(Number)}, {@code mul(Number)}, {@code maximum(Number)}, ...) wrap the number
 * in a tensor over a fresh direct ByteBuffer, run the op and close that tensor at once. PyTorch does not own such
 * memory, and an op that autograd records keeps the operand for the backward pass (a division keeps its divisor,
 * {@code maximum} both operands); once the tensor is closed nothing keeps the ByteBuffer reachable, so a garbage
 * collection between forward and backward frees it and the backward reads whatever was allocated there since.
 * Training then silently depended on GC timing (seen as a rare DeterminismTest failure: with a GC forced between
 * forward and backward and the freed memory refilled with 1e20, the attention's query and key gradients came out
 * 1e20 / 8 times too small). A tensor made here is allocated by PyTorch, and autograd's reference keeps it alive.
 */
public final class TensorScalars {

  private TensorScalars() {}

  /** A 0-d tensor of {@code value} with the data type of {@code like}, owned by {@code like}'s manager. */
  public static NDArray of(NDArray like, float value) {
    return like.getManager().full(new Shape(), value, like.getDataType());
  }
}
