/**
 * The configuration of the MediCLIP heads (per-layer adapters and the CoOp prompt learner): {@link
 * io.github.mediclip.model.HeadsConfig} and {@link io.github.mediclip.model.ClassTokenPosition}.
 * The heads themselves, the losses and the optimizer are implementation details and are not
 * exported.
 */
package io.github.mediclip.model;
