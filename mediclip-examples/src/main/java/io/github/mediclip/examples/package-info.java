/**
 * Runnable examples of the MediCLIP API: a quick start, batch scoring and a custom synthesizer. The
 * build compiles them and a test runs them.
 */
package io.github.mediclip.examples;
