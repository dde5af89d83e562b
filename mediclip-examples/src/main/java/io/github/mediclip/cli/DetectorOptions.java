package io.github.mediclip.cli;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code --model}, {@code --backbone} and {@code --device} options of the commands that load a bundle. */
final class DetectorOptions {
    @Option(names = "--model", required = true, description = "Detector bundle folder (or .zip).")
    Path model;

    @Option(names = "--backbone", description = "CLIP model folder (default: as recorded in the bundle).")
    Path backbone;

    @Mixin DeviceOption device;

    /** Checks the option values that need no engine (a bad value is a usage error, exit code 2). */
    void validate() {
        device.validate();
    }

    /** Loads the bundle {@code --model} with {@code --backbone} (or the recorded one) on {@code --device}. */
    MediClipDetector load() {
        return MediClip.load(model, backbone, device.device());
    }
}
