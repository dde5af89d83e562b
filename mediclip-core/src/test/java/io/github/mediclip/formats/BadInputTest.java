package io.github.mediclip.formats;

import static io.github.mediclip.formats.TestFiles.words;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a MedicalFormatException that names the file (and tag/offset). */
class BadInputTest {

  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  @TempDir Path dir;

  static TestFiles.Dicom slice(String ts, int rows, int cols, String series, double z) {
    return new TestFiles.Dicom(ts)
        .str(0x00080060, "CS", "CT")
        .str(0x0020000E, "UI", series)
        .str(0x00200032, "DS", "0\\0\\" + z)
        .str(0x00200037, "DS", "1\\0\\0\\0\\1\\0")
        .image(rows, cols, 16, false, "MONOCHROME2");
  }

  @Test
  void truncatedPixelData() throws IOException {
    // Pixel Data declares 2x2 pixels (8 bytes) but the element holds 6: the file was cut short
    Path f =
        slice(EXPLICIT_LE, 2, 2, "1.2.3", 0)
            .raw(0x7FE00010, "OW", words(1, 2, 3))
            .write(dir.resolve("short.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("truncated pixel data")
        .hasMessageContaining("(7FE0,0010)")
        .hasMessageContaining("byte offset");
    // the element header declares more bytes than the file has
    byte[] whole =
        slice(EXPLICIT_LE, 2, 2, "1.2.3", 0).raw(0x7FE00010, "OW", words(1, 2, 3, 4)).toBytes();
    Path cut = dir.resolve("cut.dcm");
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> MedicalImages.read(cut))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(cut.toString())
        .hasMessageContaining("(7FE0,0010)")
        .hasMessageContaining("declares 8 bytes of value but only 5 remain");
  }

  @Test
  void missingAndUnknownTransferSyntax() throws IOException {
    Path none =
        slice(null, 2, 2, "1.2.3", 0)
            .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
            .write(dir.resolve("nots.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(none))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(none.toString())
        .hasMessageContaining("no Transfer Syntax UID (0002,0010)");
    Path unknown =
        slice("1.2.3.4.5", 2, 2, "1.2.3", 0)
            .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
            .write(dir.resolve("unknown.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(unknown))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(unknown.toString())
        .hasMessageContaining("unknown transfer syntax UID '1.2.3.4.5'");
  }

  @Test
  void knownButUnsupportedTransferSyntaxNamesUidAndName() throws IOException {
    byte[] frag = new byte[] {(byte) 0xFF, (byte) 0x4F, 0, 0};
    ByteBuffer px = ByteBuffer.allocate(8 + 8 + frag.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    px.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0);
    px.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(frag.length).put(frag);
    px.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0);
    ByteBuffer hdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    hdr.putShort((short) 0x7FE0)
        .putShort((short) 0x0010)
        .put((byte) 'O')
        .put((byte) 'B')
        .putShort((short) 0)
        .putInt(-1);
    Path f =
        slice("1.2.840.10008.1.2.4.201", 2, 2, "1.2.3", 0)
            .bytes(hdr.array())
            .bytes(px.array())
            .write(dir.resolve("htj2k.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("1.2.840.10008.1.2.4.201")
        .hasMessageContaining("High-Throughput JPEG 2000 (Lossless Only)")
        .hasMessageContaining("not supported");
  }

  @Test
  void seriesWithInconsistentSizes() throws IOException {
    Path s = Files.createDirectory(dir.resolve("series"));
    slice(EXPLICIT_LE, 2, 2, "1.2.3", 0)
        .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
        .write(s.resolve("a.dcm"));
    Path b =
        slice(EXPLICIT_LE, 1, 2, "1.2.3", 1)
            .raw(0x7FE00010, "OW", words(1, 2))
            .write(s.resolve("b.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(s))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(b.toString())
        .hasMessageContaining("inconsistent series")
        .hasMessageContaining("a.dcm");
  }

  @Test
  void seriesWithDuplicatePositions() throws IOException {
    Path s = Files.createDirectory(dir.resolve("series"));
    slice(EXPLICIT_LE, 2, 2, "1.2.3", 5)
        .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
        .write(s.resolve("a.dcm"));
    slice(EXPLICIT_LE, 2, 2, "1.2.3", 5)
        .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
        .write(s.resolve("b.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(s))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageContaining("duplicate slice position")
        .hasMessageContaining("a.dcm")
        .hasMessageContaining("b.dcm");
  }

  @Test
  void folderWithTwoSeriesAsksWhichOne() throws IOException {
    Path s = Files.createDirectory(dir.resolve("series"));
    slice(EXPLICIT_LE, 2, 2, "1.2.3", 0)
        .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
        .write(s.resolve("a.dcm"));
    slice(EXPLICIT_LE, 2, 2, "1.2.4", 3)
        .raw(0x7FE00010, "OW", words(5, 6, 7, 8))
        .write(s.resolve("b.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(s))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(s.toString())
        .hasMessageContaining("2 series")
        .hasMessageContaining("1.2.3")
        .hasMessageContaining("1.2.4");
    MedicalVolume v = MedicalImages.read(s, ReadOptions.defaults().withSeriesInstanceUid("1.2.4"));
    assertThat(v.slice(0)).containsExactly(5, 6, 7, 8);
  }

  @Test
  void fourDimensionalIndexThatDoesNotExist() throws IOException {
    // 2x1x1x3 uint8 volumes 0..2
    Path f =
        TestFiles.nifti1(
            dir.resolve("t.nii"), 2, 8, 0f, 0f, new byte[] {1, 2, 3, 4, 5, 6}, 2, 1, 1, 3);
    assertThat(MedicalImages.read(f).slice(0)).containsExactly(1, 2);
    assertThat(MedicalImages.read(f, ReadOptions.defaults().withVolumeIndex(2)).slice(0))
        .containsExactly(5, 6);
    assertThatThrownBy(() -> MedicalImages.read(f, ReadOptions.defaults().withVolumeIndex(3)))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("volume index 3 does not exist")
        .hasMessageContaining("3 volume(s)");
  }

  @Test
  void nanOrInfinityInAFloatNifti() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(1f).putFloat(2f).putFloat(Float.NaN).putFloat(4f);
    Path f = TestFiles.nifti1(dir.resolve("nan.nii.gz"), 16, 32, 1f, 0f, b.array(), 2, 2, 1);
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("voxel (i=0, j=1, k=0)")
        .hasMessageContaining("NaN");
    b.putFloat(8, Float.POSITIVE_INFINITY);
    Path g = TestFiles.nifti1(dir.resolve("inf.nii"), 16, 32, 1f, 0f, b.array(), 2, 2, 1);
    assertThatThrownBy(() -> MedicalImages.read(g))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageContaining("Infinity");
  }

  @Test
  void dimensionsBeyondTheMemoryLimitFailBeforeAllocating() throws IOException {
    Path f = TestFiles.nifti2(dir.resolve("huge.nii"), 4, 16, new byte[0], 100000, 100000, 100000);
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("100000x100000x100000")
        .hasMessageContaining("more than the limit");
    // DICOM: 65535 x 65535 pixels x 100000 frames declared, 8 bytes of pixel data
    Path d =
        slice(EXPLICIT_LE, 65535, 65535, "1.2.3", 0)
            .str(0x00280008, "IS", "100000")
            .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
            .write(dir.resolve("huge.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(d))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(d.toString())
        .hasMessageContaining("more than the limit");
    // a limit is honoured as set
    Path small = TestFiles.nifti1(dir.resolve("s.nii"), 2, 8, 0f, 0f, new byte[8], 2, 2, 2);
    assertThatThrownBy(
            () -> MedicalImages.read(small, ReadOptions.defaults().withMaxDecodedBytes(16)))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageContaining("32 bytes as float, more than the limit of 16 bytes");
  }

  @Test
  void truncatedNiftiVoxels() throws IOException {
    Path f = TestFiles.nifti1(dir.resolve("cut.nii.gz"), 4, 16, 1f, 0f, words(1, 2, 3), 2, 2, 1);
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("truncated voxel data");
  }

  @Test
  void notDicomNorNifti() throws IOException {
    Path f = Files.writeString(dir.resolve("notes.dcm"), "hello, this is not an image at all");
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("not a DICOM Part 10 file")
        .hasMessageContaining("NIfTI");
    assertThat(MedicalImages.isSupported(f)).isFalse();
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThatThrownBy(() -> MedicalImages.read(empty))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageContaining("no DICOM file");
  }

  @Test
  void malformedElementLengthNamesTagAndOffset() throws IOException {
    // a sequence item that claims more bytes than its sequence holds
    ByteBuffer sq = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    sq.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(1000);
    Path f =
        slice(EXPLICIT_LE, 2, 2, "1.2.3", 0)
            .raw(0x52009229, "SQ", sq.array())
            .raw(0x7FE00010, "OW", words(1, 2, 3, 4))
            .write(dir.resolve("badseq.dcm"));
    assertThatThrownBy(() -> MedicalImages.read(f))
        .isInstanceOf(MedicalFormatException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("sequence item at byte offset")
        .hasMessageContaining("declares 1000 bytes");
  }
}
