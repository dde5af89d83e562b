package io.github.mediclip.internal.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mediclip.internal.TorchOwned;
import java.util.Objects;

/**
 * The training losses of MediCLIP (MICCAI 2024): a focal loss on the softmax anomaly map plus a
 * binary dice loss on its anomaly channel, summed with equal weights ({@link #total}).
 *
 * <p>The definitions follow the reference code exactly (its {@code FocalLoss} with {@code alpha =
 * None}, {@code gamma = 2}, {@code smooth = 1e-5}, mean reduction, and its {@code BinaryDiceLoss}
 * with smooth 1 and no squares), so that the losses, and their gradients, match the reference
 * within float tolerance.
 *
 * <p>Scalars enter the computation as float32 (DJL would promote a 0-d float32 array combined with
 * a Java {@code double} to float64). All results are attached to the manager of the first argument;
 * gradients flow into {@code probs}.
 */
public final class Losses {

  /** Focusing parameter gamma of the focal loss (reference: 2). */
  public static final double GAMMA = 2.0;

  /** Label smoothing / log guard of the focal loss (reference: 1e-5). */
  public static final double SMOOTH = 1e-5;

  /** Additive smoothing of the dice coefficient (reference: 1). */
  public static final double DICE_SMOOTH = 1.0;

  private Losses() {}

  /**
   * Focal loss on class probabilities (Lin et al., 2017), reference semantics: the target class of
   * each pixel is the mask value truncated to an integer (so a soft mask counts as class 1 only
   * where it is 1); its one-hot vector is clamped to [SMOOTH / (C - 1), 1 - SMOOTH]; {@code pt =
   * sum_c onehot_c * p_c + SMOOTH}; loss = mean over pixels of {@code -(1 - pt)^GAMMA * log(pt)}.
   *
   * @param probs class probabilities (B, C, H, W), softmax over C (C &gt;= 2; MediCLIP: C = 2)
   * @param masks target masks (B, H, W) with values in [0, C - 1] (MediCLIP: the anomaly mask in
   *     [0, 1])
   * @return the scalar loss, shape (1)
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static NDArray focal(NDArray probs, NDArray masks) {
    Objects.requireNonNull(probs, "probs");
    Objects.requireNonNull(masks, "masks");
    Shape ps = probs.getShape();
    Shape ms = masks.getShape();
    if (ps.dimension() != 4 || ps.get(1) < 2) {
      throw new IllegalArgumentException(
          "probs must have shape (B, C, H, W) with C >= 2, got: " + ps);
    }
    if (ms.dimension() != 3
        || ms.get(0) != ps.get(0)
        || ms.get(1) != ps.get(2)
        || ms.get(2) != ps.get(3)) {
      throw new IllegalArgumentException(
          "masks must have shape (B, H, W) = "
              + new Shape(ps.get(0), ps.get(2), ps.get(3))
              + ", got: "
              + ms);
    }
    int numClass = (int) ps.get(1);
    // Target class per pixel: torch's .long() truncation (floor for non-negative values).
    NDArray idx = masks.stopGradient().floor().toType(DataType.INT64, false);
    NDArray oneHot = idx.oneHot(numClass, DataType.FLOAT32); // (B, H, W, C)
    oneHot = oneHot.clip((float) (SMOOTH / (numClass - 1)), (float) (1.0 - SMOOTH));
    NDArray channelsLast = probs.transpose(0, 2, 3, 1); // (B, H, W, C)
    NDArray pt = channelsLast.mul(oneHot).sum(new int[] {3}).add((float) SMOOTH);
    // Scalar factors and exponents that autograd keeps for backward are libtorch-owned
    // (TorchOwned); DJL's mul/div/pow(Number) would leave backward reading freed memory.
    NDArray loss = pt.log().mul(TorchOwned.pow(pt.neg().add(1f), (float) GAMMA)).neg();
    return loss.mean().reshape(1);
  }

  /**
   * Binary dice loss, reference semantics: per sample {@code dice = (2 * sum(p * t) + 1) / (sum(p)
   * + sum(t) + 1)}, loss = 1 - mean over the batch of dice.
   *
   * @param anomalyProb anomaly probabilities (B, H, W) (channel 1 of the softmax map)
   * @param masks target masks (B, H, W), values in [0, 1] (soft masks allowed)
   * @return the scalar loss, shape (1)
   * @throws IllegalArgumentException if the shapes differ
   */
  public static NDArray dice(NDArray anomalyProb, NDArray masks) {
    Objects.requireNonNull(anomalyProb, "anomalyProb");
    Objects.requireNonNull(masks, "masks");
    if (!anomalyProb.getShape().equals(masks.getShape())
        || anomalyProb.getShape().dimension() < 1) {
      throw new IllegalArgumentException(
          "anomalyProb and masks must have the same shape (B, H, W), got: "
              + anomalyProb.getShape()
              + " and "
              + masks.getShape());
    }
    long n = anomalyProb.getShape().get(0);
    NDArray p = anomalyProb.reshape(n, -1);
    NDArray t = masks.stopGradient().reshape(n, -1);
    NDArray inter = p.mul(t).sum(new int[] {1});
    NDArray den = p.sum(new int[] {1}).add(t.sum(new int[] {1})).add((float) DICE_SMOOTH);
    NDArray diceCoeff = TorchOwned.mul(inter, 2f).add((float) DICE_SMOOTH).div(den);
    return TorchOwned.div(diceCoeff.sum(), (float) n).neg().add(1f).reshape(1);
  }

  /**
   * The MediCLIP training loss: {@code focal(probs, masks) + dice(probs[:, 1], masks)}.
   *
   * @param probs softmax anomaly map (B, 2, H, W)
   * @param masks target masks (B, H, W) in [0, 1]
   * @return the scalar loss, shape (1)
   */
  public static NDArray total(NDArray probs, NDArray masks) {
    NDArray f = focal(probs, masks);
    NDArray d = dice(probs.get(":, 1, :, :"), masks);
    return f.add(d);
  }
}
