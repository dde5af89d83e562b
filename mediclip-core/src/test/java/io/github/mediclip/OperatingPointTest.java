package io.github.mediclip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** anomalib-style normalisation and value checks. */
class OperatingPointTest {

  @Test
  void thresholdMapsToHalfAndValuesAreClamped() {
    OperatingPoint op = new OperatingPoint(0.6, 0.55, 0.4, 0.8, 0.1, 0.9, "f1-adaptive");
    assertThat(op.normalizeImageScore(0.6)).isEqualTo(0.5);
    assertThat(op.normalizeImageScore(0.7)).isCloseTo(0.75, within(1e-12));
    assertThat(op.normalizeImageScore(5.0)).isEqualTo(1.0);
    assertThat(op.normalizeImageScore(-5.0)).isEqualTo(0.0);
    assertThat(op.normalizePixel(0.55)).isEqualTo(0.5);
    assertThat(op.isAnomalous(0.6)).isTrue();
    assertThat(op.isAnomalous(0.5999)).isFalse();
  }

  @Test
  void degenerateSpreadDoesNotDivideByZero() {
    OperatingPoint op = new OperatingPoint(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, "normal-quantile:0.99");
    assertThat(op.normalizeImageScore(0.5)).isEqualTo(0.5);
    assertThat(op.normalizeImageScore(0.6)).isCloseTo(0.6, within(1e-12));
  }

  @Test
  void badValuesNameTheField() {
    assertThatThrownBy(() -> new OperatingPoint(Double.NaN, 0.5, 0, 1, 0, 1, "m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("OperatingPoint: imageThreshold must be finite, got NaN");
    assertThatThrownBy(() -> new OperatingPoint(0.5, 0.5, 1, 0, 0, 1, "m"))
        .hasMessage("OperatingPoint: min (1.0) > max (0.0)");
    assertThatThrownBy(() -> ThresholdPolicy.normalQuantile(1.5))
        .hasMessage("ThresholdPolicy.normal_quantile: value must be in (0, 1], got 1.5");
  }
}
