/**
 * The DJL integration: a saved detector bundle loads through DJL's {@code Criteria} as a {@code
 * ZooModel<I, Prediction>} ({@link io.github.mediclip.zoo.MediClipModelZoo}, {@link
 * io.github.mediclip.zoo.MediClipTranslator}). The provider and factories are public because DJL
 * loads them by class name; users normally only name them in {@code Criteria}.
 */
package io.github.mediclip.zoo;
