package com.example;

import io.github.mediclip.MediClip;
import io.github.mediclip.MediClipDetector;
import io.github.mediclip.Prediction;
import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.synth.SynthesisMixture;
import java.nio.file.Path;
import java.util.List;

/**
 * A downstream application as README.md shows it. It only has to compile against the installed BOM and
 * core: the consumer check proves that the published artifacts and their dependency versions fit together.
 */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) {
        ClipConfig config = ClipConfig.preset("ViT-B-16");
        MediClip mediclip = MediClip.builder()
                .setBackbone(Path.of(args[0]))
                .optSynthesis(SynthesisMixture.reference())
                .optSeed(42)
                .build();
        List<Path> normals = List.of(Path.of(args[1]));
        try (MediClipDetector detector = mediclip.fit(normals)) {
            Prediction p = detector.predict(Path.of(args[2]));
            System.out.println(config.embedDim() + " " + p.score() + " anomalous=" + p.anomalous());
            detector.save(Path.of(args[3]));
        }
    }
}
