package io.github.mediclip.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.mediclip.eval.data.Layout;
import io.github.mediclip.train.TrainingListener;
import io.github.mediclip.train.TrainingSummary;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Helpers shared by the commands: devices, layouts, a progress listener on the command's error stream. */
final class Cli {
    private Cli() {}

    /** {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (a GPU when DJL sees one, else the CPU). */
    static Device device(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return Engine.getInstance().defaultDevice();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = s.equals("gpu") ? 0 : parseInt("--device", s.substring(4));
            int gpus = Engine.getInstance().getGpuCount();
            if (id >= gpus) {
                throw new CliException("--device " + spec + ": DJL's PyTorch engine sees " + gpus + " GPU(s); "
                        + "install the CUDA build of libtorch 2.7.1 (see docs/gpu.md) or use --device cpu");
            }
            return Device.gpu(id);
        }
        throw new CliException("--device must be cpu, gpu, gpu:N or auto, but was '" + spec + "'",
                MediClipCli.EXIT_USAGE);
    }

    static Layout layout(String spec) {
        try {
            return Layout.valueOf(spec.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--layout must be mediclip, mvtec, plain or auto, but was '" + spec + "'",
                    MediClipCli.EXIT_USAGE);
        }
    }

    private static int parseInt(String option, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new CliException(option + ": not a number: '" + s + "'", MediClipCli.EXIT_USAGE);
        }
    }

    /** One line per epoch on the given writer (standard error). */
    static TrainingListener progress(PrintWriter err, String prefix) {
        return new TrainingListener() {
            private int epochs;
            private long start;

            @Override
            public void onTrainingStart(int epochs, int stepsPerEpoch) {
                this.epochs = epochs;
                this.start = System.nanoTime();
                err.printf(Locale.ROOT, "%straining: up to %d epochs, %d steps per epoch%n", prefix, epochs,
                        stepsPerEpoch);
                err.flush();
            }

            @Override
            public boolean onEpochEnd(int epoch, double trainLoss, Map<String, Double> metrics) {
                StringBuilder sb = new StringBuilder();
                metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s %.4f", k, v)));
                err.printf(Locale.ROOT, "%sepoch %d/%d loss %.4f%s (%.1f s)%n", prefix, epoch, epochs, trainLoss,
                        sb, (System.nanoTime() - start) / 1e9);
                err.flush();
                return true;
            }

            @Override
            public void onTrainingEnd(TrainingSummary s) {
                err.printf(Locale.ROOT, "%straining done: %d epochs in %.1f s, kept epoch %d (%s %.4f)%s%n", prefix,
                        s.epochsRun(), s.seconds(), s.bestEpoch(), s.selectionMetric(), s.bestMetric(),
                        s.stopReason().isEmpty() ? "" : ", stopped: " + s.stopReason());
                err.flush();
            }
        };
    }
}
