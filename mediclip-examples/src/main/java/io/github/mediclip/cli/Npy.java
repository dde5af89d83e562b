package io.github.mediclip.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Minimal reader of NumPy {@code .npy} files holding a 2-D (H, W) or 3-D (1, H, W) array in C order:
 * float32, float64, uint8 or bool, little-endian.
 */
final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A (H, W) float grid. */
    record Grid(int width, int height, float[] values) {}

    private Npy() {}

    static Grid read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || bytes[1] != 'N' || bytes[2] != 'U' || bytes[3] != 'M'
                || bytes[4] != 'P' || bytes[5] != 'Y') {
            throw new CliException(file + " is not a .npy file (magic \\x93NUMPY missing)");
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            offset = 10;
        } else {
            headerLen = bb.getInt(8);
            offset = 12;
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        int dataStart = offset + headerLen;
        String descr = find(DESCR, header, file, "descr");
        if ("True".equals(find(FORTRAN, header, file, "fortran_order"))) {
            throw new CliException(file + ": fortran_order arrays are not supported; save with C order");
        }
        String[] dims = find(SHAPE, header, file, "shape").split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        int h;
        int w;
        if (shape.length == 2) {
            h = (int) shape[0];
            w = (int) shape[1];
        } else if (shape.length == 3 && shape[0] == 1) {
            h = (int) shape[1];
            w = (int) shape[2];
        } else {
            throw new CliException(String.format(Locale.ROOT, "%s: expected a (H, W) array, got shape %s", file,
                    java.util.Arrays.toString(shape)));
        }
        int n = Math.multiplyExact(h, w);
        float[] v = new float[n];
        int itemSize;
        switch (descr) {
            case "<f4", "|f4" -> itemSize = 4;
            case "<f8", "|f8" -> itemSize = 8;
            case "|u1", "|b1", "<u1" -> itemSize = 1;
            default -> throw new CliException(file + ": unsupported dtype '" + descr
                    + "'; use float32, float64, uint8 or bool (little-endian)");
        }
        if ((long) dataStart + (long) n * itemSize > bytes.length) {
            throw new CliException(file + ": file is shorter than its shape " + java.util.Arrays.toString(shape)
                    + " requires");
        }
        for (int i = 0; i < n; i++) {
            int p = dataStart + i * itemSize;
            v[i] = switch (itemSize) {
                case 4 -> bb.getFloat(p);
                case 8 -> (float) bb.getDouble(p);
                default -> bytes[p] & 0xFF;
            };
        }
        return new Grid(w, h, v);
    }

    private static String find(Pattern p, String header, Path file, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new CliException(file + ": .npy header has no '" + key + "'");
        }
        return m.group(1);
    }
}
