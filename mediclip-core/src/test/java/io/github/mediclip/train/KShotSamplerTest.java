package io.github.mediclip.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.internal.train.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one k-shot draw: seeded, without replacement, identity for k = n, path order for files. */
class KShotSamplerTest {

  static List<String> pool(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      p.add("n" + i);
    }
    return p;
  }

  @Test
  void drawIsSeededAndWithoutReplacement() {
    List<String> pool = pool(20);
    List<String> a = KShotSampler.sample(pool, 5, 1);
    assertThat(a).hasSize(5).doesNotHaveDuplicates().isSubsetOf(pool);
    assertThat(KShotSampler.sample(pool, 5, 1)).isEqualTo(a);
    assertThat(KShotSampler.sample(pool, 5, 2)).isNotEqualTo(a);
    KShotSampler.Split<String> s = KShotSampler.split(pool, 5, 1);
    assertThat(s.shots()).isEqualTo(a);
    List<String> all = new ArrayList<>(s.shots());
    all.addAll(s.rest());
    assertThat(all).containsExactlyInAnyOrderElementsOf(pool);
  }

  @Test
  void drawIsAFisherYatesPassOverTheSeededStream() {
    // the definition written out: a reader can reimplement the draw from the javadoc
    int n = 9;
    int[] expected = new int[n];
    for (int i = 0; i < n; i++) {
      expected[i] = i;
    }
    java.util.SplittableRandom r =
        new java.util.SplittableRandom(Seeds.mix(7, Seeds.SHOTS_STREAM, 0));
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = expected[i];
      expected[i] = expected[j];
      expected[j] = t;
    }
    assertThat(KShotSampler.order(n, 3, 7)).containsExactly(expected);
  }

  @Test
  void allImagesKeepTheirOrder() {
    List<String> pool = pool(6);
    assertThat(KShotSampler.sample(pool, 6, 3)).isEqualTo(pool);
    assertThat(KShotSampler.sample(pool, 0, 3)).isEqualTo(pool);
    assertThat(KShotSampler.split(pool, 0, 3).rest()).isEmpty();
  }

  @Test
  void pathOrderMakesTheDrawIndependentOfListingOrder() {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      files.add(Path.of("data", "train", "img" + i + ".png"));
    }
    List<Path> reversed = new ArrayList<>(files);
    Collections.reverse(reversed);
    List<Path> a = KShotSampler.sample(KShotSampler.inPathOrder(files, p -> p), 4, 9);
    assertThat(KShotSampler.sample(KShotSampler.inPathOrder(reversed, p -> p), 4, 9)).isEqualTo(a);
  }

  @Test
  void badInputsAreRejectedWithTheValues() {
    assertThatThrownBy(() -> KShotSampler.sample(pool(20), 21, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "shots (k = 21) must be in [0, 20]: the pool has 20 normal images (0 = use all)");
    assertThatThrownBy(() -> KShotSampler.sample(List.of(), 1, 1))
        .hasMessage("the pool is empty; give at least one normal image to draw shots from");
  }
}
