package io.github.mediclip.eval.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mediclip.train.LabeledImage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

  @TempDir Path root;

  private Path png(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    BufferedImage img = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(2, 3, 0, 255);
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  private Path junk(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "not an image");
    return p;
  }

  @Test
  void readsThePlainLayoutInNaturalOrderWithMasks() throws Exception {
    png("train/normal/img10.png");
    png("train/normal/img9.png");
    png("train/normal/img2.png");
    png("test/normal/n1.png");
    png("test/abnormal/a1.jpg"); // a PNG behind a lying extension
    png("test/abnormal/a2.png");
    png("ground_truth/abnormal/a1.png");
    png("ground_truth/abnormal/a2_mask.png");
    Dataset d = DatasetReader.read(root, Layout.AUTO);
    assertThat(d.train())
        .extracting(s -> s.file().getFileName().toString())
        .containsExactly("img2.png", "img9.png", "img10.png");
    assertThat(d.test()).hasSize(3);
    assertThat(d.test().get(1).maskFile()).isEqualTo(root.resolve("ground_truth/abnormal/a1.png"));
    assertThat(d.test().get(2).maskFile())
        .isEqualTo(root.resolve("ground_truth/abnormal/a2_mask.png"));
    assertThat(d.hasPixelGroundTruth()).isTrue();
    assertThat(d.describe()).endsWith("train 3 normal, test 1 normal + 2 anomalous, 2 masks");
  }

  @Test
  void readsTheMvtecLayout() throws Exception {
    png("train/good/000.png");
    png("test/good/000.png");
    png("test/crack/000.png");
    png("test/crack/001.png");
    png("test/hole/000.png");
    png("ground_truth/crack/000_mask.png");
    png("ground_truth/crack/001_mask.png");
    png("ground_truth/hole/000_mask.png");
    Dataset d = DatasetReader.read(root, Layout.AUTO);
    assertThat(DatasetReader.detect(root)).isEqualTo(Layout.MVTEC);
    assertThat(d.testAnomalous()).isEqualTo(3);
    assertThat(d.testMasks()).isEqualTo(3);
  }

  @Test
  void readsTheMediClipLayout() throws Exception {
    png("images/train/normal/image_0.jpg");
    png("images/train/normal/image_1.jpg");
    png("images/test/normal/image_2.jpg");
    png("images/test/abnormal/image_3.jpg");
    png("images/test/ground_true/mask_3.jpg");
    Files.createDirectories(root.resolve("samples"));
    Files.writeString(
        root.resolve("samples/train.json"),
        "{\"filename\": \"train/normal/image_0.jpg\", \"label\": 0, \"label_name\": \"normal\", \"clsname\": \"brainmri\"}\n"
            + "{\"filename\": \"train/normal/image_1.jpg\", \"label\": 0, \"label_name\": \"normal\", \"clsname\": \"brainmri\"}\n");
    Files.writeString(
        root.resolve("samples/test.json"),
        "{\"filename\": \"test/normal/image_2.jpg\", \"label\": 0, \"clsname\": \"brainmri\"}\n\n"
            + "{\"filename\": \"test/abnormal/image_3.jpg\", \"label\": 1, \"clsname\": \"brainmri\","
            + " \"mask\": \"test/ground_true/mask_3.jpg\"}\n");
    Dataset d = DatasetReader.read(root, Layout.AUTO);
    assertThat(d.name()).isEqualTo("brainmri");
    assertThat(d.train()).hasSize(2);
    assertThat(d.test()).extracting(LabeledImage::anomalous).containsExactly(false, true);
    assertThat(d.test().get(1).maskFile())
        .isEqualTo(root.resolve("images/test/ground_true/mask_3.jpg"));
  }

  @Test
  void collectsEveryProblemThenFails() throws Exception {
    png("train/normal/a.png");
    Path bad1 = junk("train/normal/b.png");
    png("test/normal/c.png");
    Path bad2 = junk("test/abnormal/d.jpg");
    png("test/abnormal/e.png");
    Files.createDirectories(root.resolve("ground_truth/abnormal"));
    assertThatThrownBy(() -> DatasetReader.read(root, Layout.PLAIN))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("3 problems reading dataset " + root + " (layout PLAIN)")
        .hasMessageContaining(
            bad1
                + ": not an image format that ImageIO can decode (PNG, JPEG, BMP, GIF, TIFF, WBMP)")
        .hasMessageContaining(bad2.toString())
        .hasMessageContaining(
            root.resolve("test/abnormal/e.png")
                + ": no mask in "
                + root.resolve("ground_truth/abnormal")
                + " (expected e.<ext>)")
        .satisfies(
            e ->
                assertThat(((DatasetException) e).problems())
                    .extracting(DatasetProblem::path)
                    .containsExactly(bad1, bad2, root.resolve("test/abnormal/e.png")));
  }

  @Test
  void skipsWithAWarningWhenAsked() throws Exception {
    png("train/normal/a.png");
    junk("train/normal/b.png");
    png("test/normal/c.png");
    png("test/abnormal/e.png");
    List<String> warnings = new ArrayList<>();
    Dataset d =
        DatasetReader.read(
            root,
            Layout.PLAIN,
            DatasetReader.Options.skipUnreadable()
                .withWarnings(warnings::add)
                .withFullDecode(true));
    assertThat(d.train()).hasSize(1);
    assertThat(warnings)
        .singleElement()
        .asString()
        .startsWith("skipping " + root.resolve("train/normal/b.png") + ": not an image");
  }

  @Test
  void trainListedOnlyLeavesTrainingImagesUnopenedButStillChecksTheTestSplit() throws Exception {
    png("train/normal/a.png");
    junk("train/normal/b.png"); // listed, never opened: the k-shot protocol opens only the shots it
    // draws
    Files.createDirectories(root.resolve("train/normal/sub"));
    png("test/normal/c.png");
    junk("test/normal/d.png");
    png("test/abnormal/e.png");
    List<String> warnings = new ArrayList<>();
    Dataset d =
        DatasetReader.read(
            root,
            Layout.PLAIN,
            DatasetReader.Options.skipUnreadable()
                .withWarnings(warnings::add)
                .withTrainListedOnly(true));
    assertThat(d.train())
        .extracting(s -> s.file().getFileName().toString())
        .containsExactly("a.png", "b.png");
    assertThat(d.test()).hasSize(2);
    assertThat(warnings)
        .containsExactly(
            "skipping " + root.resolve("train/normal/sub") + ": unexpected folder among the images",
            "skipping "
                + root.resolve("test/normal/d.png")
                + ": not an image format that ImageIO can decode (PNG,"
                + " JPEG, BMP, GIF, TIFF, WBMP); the file extension is not used");
    // the MediCLIP layout's training list is listed the same way; a missing file is still a problem
    Files.createDirectories(root.resolve("m/samples"));
    Files.createDirectories(root.resolve("m/images"));
    Files.copy(root.resolve("train/normal/a.png"), root.resolve("m/images/a.png"));
    Files.writeString(root.resolve("m/images/b.png"), "not an image");
    Files.copy(root.resolve("test/normal/c.png"), root.resolve("m/images/c.png"));
    Files.writeString(
        root.resolve("m/samples/train.json"),
        "{\"filename\": \"a.png\"}\n{\"filename\": \"b.png\"}\n"
            + "{\"filename\": \"gone.png\"}\n");
    Files.writeString(
        root.resolve("m/samples/test.json"), "{\"filename\": \"c.png\", \"label\": 0}\n");
    warnings.clear();
    Dataset m =
        DatasetReader.read(
            root.resolve("m"),
            Layout.MEDICLIP,
            DatasetReader.Options.skipUnreadable()
                .withWarnings(warnings::add)
                .withTrainListedOnly(true));
    assertThat(m.train())
        .extracting(s -> s.file().getFileName().toString())
        .containsExactly("a.png", "b.png");
    assertThat(warnings)
        .containsExactly("skipping " + root.resolve("m/images/gone.png") + ": no such file");
  }

  @Test
  void missingFoldersAndUnknownLayouts() throws Exception {
    assertThatThrownBy(() -> DatasetReader.read(root, Layout.AUTO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot detect the layout of "
                + root
                + ": found none of samples/train.json (MEDICLIP),"
                + " train/good (MVTEC), train/normal (PLAIN)");
    png("train/normal/a.png");
    assertThatThrownBy(
            () -> DatasetReader.read(root, Layout.PLAIN, DatasetReader.Options.skipUnreadable()))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(root.resolve("test") + ": test folder is missing");
    assertThatThrownBy(() -> DatasetReader.read(root.resolve("nope"), Layout.PLAIN))
        .hasMessage(
            "dataset folder " + root.resolve("nope") + " does not exist or is not a folder");
  }

  @Test
  void badJsonLinesNameTheLine() throws Exception {
    png("images/x.png");
    Files.createDirectories(root.resolve("samples"));
    Files.writeString(root.resolve("samples/train.json"), "{\"filename\": \"x.png\"}\n{oops\n");
    Files.writeString(
        root.resolve("samples/test.json"), "{\"filename\": \"x.png\", \"label\": 3}\n");
    assertThatThrownBy(() -> DatasetReader.read(root, Layout.MEDICLIP))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(root.resolve("samples/train.json") + ": line 2 is not valid JSON")
        .hasMessageContaining(
            root.resolve("samples/test.json") + ": line 1 has label 3; it must be 0 or 1");
  }

  @Test
  void naturalOrder() {
    assertThat(DatasetReader.naturalCompare("a2", "a10")).isNegative();
    assertThat(DatasetReader.naturalCompare("Y10", "Y9")).isPositive();
    assertThat(DatasetReader.naturalCompare("a01", "a1")).isNotZero();
  }

  @Test
  void aDatasetHoldsImageFilesOnly() {
    LabeledImage file = LabeledImage.ofFile(Path.of("n.png"), false, null);
    LabeledImage inMemory =
        LabeledImage.normal("mem", io.github.mediclip.synth.GrayImage.of(1, 1, new float[1]));
    assertThat(new Dataset("d", List.of(file), List.of(file)).train()).containsExactly(file);
    assertThatThrownBy(() -> new Dataset("d", List.of(file), List.of(file, inMemory)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "dataset d: test[1] (mem) is an image in memory; a Dataset holds image files"
                + " (LabeledImage.ofFile)");
  }
}
