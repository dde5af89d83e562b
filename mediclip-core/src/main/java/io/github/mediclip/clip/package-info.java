/**
 * A documented CLIP API in DJL, usable on its own: configuration ({@link
 * io.github.mediclip.clip.ClipConfig} with the OpenAI presets), the vision and text transformers
 * with access to intermediate layers ({@link io.github.mediclip.clip.ClipModel}), CLIP's byte-level
 * BPE tokenizer ({@link io.github.mediclip.clip.ClipTokenizer}), model folders and random
 * initialization ({@link io.github.mediclip.clip.ClipWeights}: open_clip safetensors, Hugging Face
 * {@code CLIPModel} names, OpenAI TorchScript archives) and CLIP's image preprocessing ({@link
 * io.github.mediclip.clip.ImagePreprocessor}). The weight-file codecs and the parity harness are
 * implementation details and are not exported.
 *
 * <p>Typical use:
 *
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
 * <p>Reference: Zhang et al., "MediCLIP: Adapting CLIP for Few-shot Medical Image Anomaly
 * Detection", MICCAI 2024 (arXiv 2405.11315); CLIP: Radford et al., ICML 2021; open_clip.
 */
package io.github.mediclip.clip;
