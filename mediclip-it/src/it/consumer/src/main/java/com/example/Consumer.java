package com.example;

import io.github.mediclip.clip.ClipConfig;
import io.github.mediclip.synth.SynthesisMixture;

/** Compiles only if the installed BOM and core expose the public API a downstream application uses. */
public final class Consumer {
    private Consumer() {}

    public static void main(String[] args) {
        ClipConfig config = ClipConfig.preset("ViT-B-16");
        SynthesisMixture mixture = SynthesisMixture.reference();
        System.out.println(config.embedDim() + " " + mixture.weights());
    }
}
