package io.github.mediclip.internal.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adam with the exact semantics of {@code torch.optim.Adam} (no weight decay, no AMSGrad), as used
 * by the MediCLIP reference: learning rate 1e-3, betas (0.5, 0.999), eps 1e-8 by default.
 *
 * <p>Per parameter {@code p} with gradient {@code g}, at step {@code t} (counted per parameter
 * name): {@code m = b1 m + (1 - b1) g}; {@code v = b2 v + (1 - b2) g^2}; {@code p -= (lr / (1 -
 * b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 *
 * <p>Parameters are updated in place (call {@link #step} outside a {@code GradientCollector});
 * gradients are read, never cleared: call {@link #zeroGradients(Map)} (or the collector's {@code
 * zeroGradients()}) before the next backward pass, since PyTorch accumulates gradients. A parameter
 * without a gradient is skipped, as torch skips parameters whose {@code grad} is {@code None}. The
 * moment estimates live in a manager owned by this optimizer; {@link #close()} frees them. Not
 * thread-safe.
 */
public final class AdamOptimizer implements AutoCloseable {

  /** Reference learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  /** Reference first-moment decay. */
  public static final double DEFAULT_BETA1 = 0.5;

  /** Reference second-moment decay. */
  public static final double DEFAULT_BETA2 = 0.999;

  /** Torch's default epsilon. */
  public static final double DEFAULT_EPSILON = 1e-8;

  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final Map<String, State> states = new HashMap<>();
  private NDManager manager;

  /** Adam with the reference defaults (lr 1e-3, betas (0.5, 0.999), eps 1e-8). */
  public AdamOptimizer() {
    this(DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * @param learningRate step size, &gt; 0 and finite
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param epsilon denominator guard, &gt;= 0
   * @throws IllegalArgumentException naming the field and value
   */
  public AdamOptimizer(double learningRate, double beta1, double beta2, double epsilon) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be > 0 and finite, got: " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got: " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got: " + beta2);
    }
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be >= 0 and finite, got: " + epsilon);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /**
   * @return the learning rate
   */
  public double learningRate() {
    return learningRate;
  }

  /**
   * @return beta1
   */
  public double beta1() {
    return beta1;
  }

  /**
   * @return beta2
   */
  public double beta2() {
    return beta2;
  }

  /**
   * @return epsilon
   */
  public double epsilon() {
    return epsilon;
  }

  /**
   * The number of steps taken for a parameter.
   *
   * @param name the parameter name
   * @return the step count, 0 if never updated
   */
  public int stepCount(String name) {
    State s = states.get(name);
    return s == null ? 0 : s.step;
  }

  /**
   * One Adam step on every parameter that has a gradient; the update is applied in place.
   *
   * @param params parameters by name (the name keys the moment state); each must require gradients
   * @throws IllegalArgumentException if a parameter's shape changed since the previous step
   */
  public void step(Map<String, NDArray> params) {
    Objects.requireNonNull(params, "params");
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      String name = e.getKey();
      NDArray p = e.getValue();
      if (p == null || !p.hasGradient()) {
        continue;
      }
      if (manager == null) {
        manager = NDManager.newBaseManager(p.getDevice());
        manager.setName("AdamOptimizer");
      }
      State s = states.get(name);
      if (s == null) {
        s =
            new State(
                manager.zeros(p.getShape(), p.getDataType(), p.getDevice()),
                manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
        states.put(name, s);
      } else if (!s.m.getShape().equals(p.getShape())) {
        throw new IllegalArgumentException(
            "parameter '"
                + name
                + "' changed shape from "
                + s.m.getShape()
                + " to "
                + p.getShape());
      }
      s.step++;
      try (NDManager scope = manager.newSubManager(p.getDevice())) {
        NDArray g = p.getGradient();
        g.attach(scope);
        // m = b1 m + (1 - b1) g ; v = b2 v + (1 - b2) g^2 (in place on the state)
        s.m.muli((float) beta1).addi(scopeMul(g, 1.0 - beta1, scope));
        NDArray g2 = g.mul(g);
        g2.attach(scope);
        s.v.muli((float) beta2).addi(scopeMul(g2, 1.0 - beta2, scope));
        double bc1 = 1.0 - Math.pow(beta1, s.step);
        double bc2 = 1.0 - Math.pow(beta2, s.step);
        double stepSize = learningRate / bc1;
        NDArray denom = s.v.sqrt();
        denom.attach(scope);
        denom.divi((float) Math.sqrt(bc2)).addi((float) epsilon);
        NDArray update = s.m.div(denom);
        update.attach(scope);
        update.muli((float) stepSize);
        p.subi(update);
      }
    }
  }

  private static NDArray scopeMul(NDArray a, double factor, NDManager scope) {
    NDArray r = a.mul((float) factor);
    r.attach(scope);
    return r;
  }

  /**
   * Sets the gradients of the given parameters to zero (torch's {@code
   * optimizer.zero_grad(set_to_none=False)}).
   *
   * @param params parameters by name
   */
  public static void zeroGradients(Map<String, NDArray> params) {
    for (NDArray p : params.values()) {
      if (p != null && p.hasGradient()) {
        NDArray g = p.getGradient();
        g.muli(0f);
        g.close();
      }
    }
  }

  /** Drops the moment estimates (the next step starts from t = 1). */
  public void reset() {
    states.clear();
    if (manager != null) {
      manager.close();
      manager = null;
    }
  }

  @Override
  public void close() {
    reset();
  }

  private static final class State {
    final NDArray m;
    final NDArray v;
    int step;

    State(NDArray m, NDArray v) {
      this.m = m;
      this.v = v;
    }
  }
}
