/**
 * The frozen CLIP backbone of MediCLIP, in DJL: configuration ({@link io.github.mediclip.clip.ClipConfig}
 * with the OpenAI presets), the vision and text transformers ({@link io.github.mediclip.clip.ClipModel}),
 * CLIP's byte-level BPE tokenizer ({@link io.github.mediclip.clip.ClipTokenizer}), weight import
 * (memory-mapped {@link io.github.mediclip.internal.clip.SafetensorsReader} / {@link
 * io.github.mediclip.internal.clip.SafetensorsWriter}, open_clip names, Hugging Face {@code CLIPModel} names,
 * OpenAI TorchScript archives), random initialization and model folders ({@link
 * io.github.mediclip.clip.ClipWeights}), image preprocessing, and the backbone parity check against
 * the reference implementation ({@link io.github.mediclip.cli.parity.BackboneParity}).
 *
 * <p>Typical use:
 * <pre>{@code
 * try (ClipModel clip = ClipModel.load(Path.of("models/ViT-L-14"), Device.cpu());
 *      NDManager m = NDManager.newBaseManager()) {
 *     NDArray images = ...;                                     // (B, 3, 224, 224), normalized
 *     ClipModel.VisionOutput out = clip.encodeImage(images, 12, 18, 24);
 *     NDArray ids = m.create(clip.tokenizer().tokenize("a photo of a brain", 77), new Shape(1, 77));
 *     NDArray text = clip.encodeText(ids);                      // (1, 768)
 * }
 * }</pre>
 *
 * <p>Reference: Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical Image Anomaly Detection",
 * MICCAI 2024 (arXiv 2405.11315); CLIP: Radford et al., ICML 2021; open_clip.
 */
package io.github.mediclip.clip;

import io.github.mediclip.cli.parity.BackboneParity;
import io.github.mediclip.internal.clip.SafetensorsReader;
import io.github.mediclip.internal.clip.SafetensorsWriter;
