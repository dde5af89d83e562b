package io.github.mediclip.cli;

import io.github.mediclip.bundle.BundleOutput;
import io.github.mediclip.bundle.SaveOptions;
import java.nio.file.Path;

/** Reserves a bundle output (as a training does) until its standard input closes. */
public final class LockHolderMain {
  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    try (BundleOutput out = BundleOutput.reserve(Path.of(args[0]), SaveOptions.defaults())) {
      System.out.println("held");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for EOF
      }
    }
    System.out.println("released");
    System.out.flush();
  }
}
