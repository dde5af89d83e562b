package io.github.mediclip.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import io.github.mediclip.internal.TorchOwned;
import java.util.Map;

/**
 * One pre-norm residual attention block of a CLIP transformer (open_clip's {@code
 * ResidualAttentionBlock}): {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}, with fused
 * q/k/v in-projection, all heads in one batched matmul (B, H, N, d) and a QuickGELU or exact GELU
 * MLP. Weights are frozen arrays owned by the model.
 */
final class ResidualBlock {

  static final float LN_EPS = 1e-5f;

  private final NDArray ln1w;
  private final NDArray ln1b;
  private final NDArray inW;
  private final NDArray inB;
  private final NDArray outW;
  private final NDArray outB;
  private final NDArray ln2w;
  private final NDArray ln2b;
  private final NDArray fcW;
  private final NDArray fcB;
  private final NDArray projW;
  private final NDArray projB;
  private final int width;
  private final int heads;
  private final boolean quickGelu;

  /**
   * Creates the block. The 1/sqrt(d) query scaling is folded into the q rows of the in-projection
   * here, once, instead of scaling q on every call (same result up to float rounding, ~1e-7
   * relative). Must run before the weights' manager is capped: the folded in-projection is a new
   * array in it.
   */
  ResidualBlock(Map<String, NDArray> w, String prefix, int width, int heads, boolean quickGelu) {
    this.ln1w = w.get(prefix + "ln_1.weight");
    this.ln1b = w.get(prefix + "ln_1.bias");
    NDArray inWeight = w.get(prefix + "attn.in_proj_weight"); // (3W, W)
    NDArray inBias = w.get(prefix + "attn.in_proj_bias"); // (3W)
    float scale = (float) (1.0 / Math.sqrt((double) width / heads));
    NDArray rowScale = inWeight.getManager().ones(new Shape(3L * width), inWeight.getDataType());
    rowScale.set(new ai.djl.ndarray.index.NDIndex(":{}", width), scale);
    this.inW = inWeight.mul(rowScale.reshape(3L * width, 1));
    this.inB = inBias.mul(rowScale);
    rowScale.close();
    this.outW = w.get(prefix + "attn.out_proj.weight");
    this.outB = w.get(prefix + "attn.out_proj.bias");
    this.ln2w = w.get(prefix + "ln_2.weight");
    this.ln2b = w.get(prefix + "ln_2.bias");
    this.fcW = w.get(prefix + "mlp.c_fc.weight");
    this.fcB = w.get(prefix + "mlp.c_fc.bias");
    this.projW = w.get(prefix + "mlp.c_proj.weight");
    this.projB = w.get(prefix + "mlp.c_proj.bias");
    this.width = width;
    this.heads = heads;
    this.quickGelu = quickGelu;
  }

  /**
   * Runs the block. Intermediate arrays live in a scope that is closed before returning; the result
   * is attached to the manager of {@code x}.
   *
   * @param x residual stream (B, N, W)
   * @param mask additive attention mask (N, N) or {@code null}
   * @return the new residual stream (B, N, W)
   */
  NDArray forward(NDArray x, NDArray mask) {
    NDManager outer = x.getManager();
    // In-place ops on tensors that autograd saves for backward would break gradients, so QuickGELU
    // reuses its buffer only when libtorch records no gradients on this thread (outside a
    // GradientCollector). The residual additions are in place on fresh linear outputs, which
    // backward
    // never needs, so they are always safe.
    boolean grad = JniUtils.isGradMode();
    try (NDManager scope = outer.newSubManager()) {
      scope.tempAttachAll(x);
      NDArray h = layerNorm(x, ln1w, ln1b);
      NDArray y = attention(h, mask).addi(x); // x + attn(ln_1(x))
      h = layerNorm(y, ln2w, ln2b);
      h = Linear.linear(h, fcW, fcB).singletonOrThrow();
      if (quickGelu) {
        // QuickGELU: h * sigmoid(1.702 h); autograd keeps the factor, so it must be torch-owned
        NDArray s = Activation.sigmoid(TorchOwned.mul(h, 1.702f));
        h = grad ? h.mul(s) : s.muli(h);
      } else {
        h = Activation.gelu(h); // exact (erf) GELU
      }
      NDArray out = Linear.linear(h, projW, projB).singletonOrThrow().addi(y); // y + mlp(ln_2(y))
      out.attach(outer);
      return out;
    }
  }

  private NDArray attention(NDArray x, NDArray mask) {
    Shape s = x.getShape();
    long b = s.get(0);
    long n = s.get(1);
    int d = width / heads;
    NDArray qkv =
        Linear.linear(x, inW, inB)
            .singletonOrThrow() // (B, N, 3W)
            .reshape(b, n, 3, heads, d)
            .transpose(2, 0, 3, 1, 4); // (3, B, H, N, d)
    NDArray q = qkv.get(0); // already scaled by 1/sqrt(d) through the folded in-projection
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    NDArray att = q.matMul(k.transpose(0, 1, 3, 2)); // (B, H, N, N)
    if (mask != null) {
      att = att.add(mask);
    }
    att = att.softmax(-1);
    NDArray o =
        att.matMul(v) // (B, H, N, d)
            .transpose(0, 2, 1, 3)
            .reshape(b, n, width);
    return Linear.linear(o, outW, outB).singletonOrThrow();
  }

  static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
    return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, LN_EPS)
        .singletonOrThrow();
  }
}
