package io.github.mediclip.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared atomic write: content, replacement, and what a failure leaves behind. */
class AtomicFilesTest {

  @TempDir Path tmp;

  @Test
  void writesBytesTextAndStreamsAndCreatesParentFolders() throws IOException {
    Path bytes = tmp.resolve("a/b/bytes.bin");
    AtomicFiles.write(bytes, new byte[] {1, 2, 3});
    assertThat(Files.readAllBytes(bytes)).containsExactly(1, 2, 3);

    Path text = tmp.resolve("t.txt");
    AtomicFiles.writeString(text, "h\u00e9llo\n");
    assertThat(Files.readString(text, StandardCharsets.UTF_8)).isEqualTo("h\u00e9llo\n");

    // more than the 64 KiB buffer, so the flush before the move matters
    byte[] big = new byte[200_003];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + 7);
    }
    Path streamed = tmp.resolve("s.bin");
    AtomicFiles.write(
        streamed,
        out -> {
          out.write(big, 0, 100_000);
          out.write(big, 100_000, big.length - 100_000);
        });
    assertThat(Files.readAllBytes(streamed)).isEqualTo(big);

    Path channel = tmp.resolve("c.bin");
    AtomicFiles.writeChannel(
        channel,
        ch -> {
          ByteBuffer b = ByteBuffer.wrap(big);
          while (b.hasRemaining()) {
            ch.write(b);
          }
        });
    assertThat(Files.readAllBytes(channel)).isEqualTo(big);

    assertThat(names(tmp)).containsExactlyInAnyOrder("a", "t.txt", "s.bin", "c.bin");
    assertThat(names(tmp.resolve("a/b"))).containsExactly("bytes.bin");
  }

  @Test
  void writesAPngThatReadsBackPixelForPixel() throws IOException {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        img.getRaster().setSample(x, y, 0, x * 50 + y);
      }
    }
    Path png = tmp.resolve("i.png");
    AtomicFiles.writePng(png, img);
    BufferedImage back = ImageIO.read(png.toFile());
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        assertThat(back.getRaster().getSample(x, y, 0)).isEqualTo(x * 50 + y);
      }
    }
    assertThat(names(tmp)).containsExactly("i.png");
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("f.txt"), "old content that is longer");
    AtomicFiles.writeString(f, "new");
    assertThat(Files.readString(f)).isEqualTo("new");
    assertThat(names(tmp)).containsExactly("f.txt");
  }

  @Test
  void aFailureMidStreamLeavesTheTargetAndNoTemporaryFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("keep.csv"), "previous");
    IOException boom = new IOException("disk full (simulated)");
    List<String> seenWhileWriting = new java.util.ArrayList<>();
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    f,
                    out -> {
                      out.write(new byte[100_000]); // past the buffer: bytes reach the temp file
                      seenWhileWriting.addAll(names(tmp));
                      throw boom;
                    }))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot write " + f + ": disk full (simulated)")
        .hasCause(boom);
    // while writing, the content went to a hidden temporary file in the same folder
    assertThat(seenWhileWriting).hasSize(2).contains("keep.csv");
    assertThat(seenWhileWriting.stream().filter(n -> !n.equals("keep.csv")).findFirst().get())
        .startsWith(".keep.csv")
        .endsWith(".tmp");
    assertThat(Files.readString(f)).isEqualTo("previous");
    assertThat(names(tmp)).containsExactly("keep.csv");
  }

  @Test
  void aRuntimeFailureInTheContentPropagatesAndLeavesNothing() throws IOException {
    Path f = tmp.resolve("new.bin");
    IllegalStateException bad = new IllegalStateException("bad tensor");
    assertThatThrownBy(
            () ->
                AtomicFiles.writeChannel(
                    f,
                    ch -> {
                      ch.write(ByteBuffer.wrap(new byte[10]));
                      throw bad;
                    }))
        .isSameAs(bad);
    assertThat(names(tmp)).isEmpty();
  }

  @Test
  void anUnwritableTargetIsNamedInTheError() throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("plain.txt"), "x");
    Path target = notAFolder.resolve("out.png");
    assertThatThrownBy(() -> AtomicFiles.writeString(target, "y"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write " + target + ": ");
    assertThat(names(tmp)).containsExactly("plain.txt");
    assertThat(Files.readString(notAFolder)).isEqualTo("x");
  }

  @Test
  void aFolderInTheWayOfTheTargetFailsAndLeavesNoTemporaryFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("report.csv"));
    Files.writeString(dir.resolve("inside"), "kept");
    assertThatThrownBy(() -> AtomicFiles.writeString(dir, "y"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("cannot write " + dir + ": ");
    assertThat(names(tmp)).containsExactly("report.csv");
    assertThat(names(dir)).containsExactly("inside");
  }

  @Test
  void theFileGetsTheUmasksPermissionsNotOwnerOnly() throws IOException {
    assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX");
    Path probe = Files.createFile(tmp.resolve("probe"));
    Path f = tmp.resolve("shared.txt");
    AtomicFiles.writeString(f, "z");
    assertThat(Files.getPosixFilePermissions(f)).isEqualTo(Files.getPosixFilePermissions(probe));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
