package com.example;

import io.github.mediclip.eval.phantom.PhantomDataset;
import java.nio.file.Path;

/** Consumer check only (not in the README): a small phantom data set in the plain layout. */
public final class MakeData {
  private MakeData() {}

  public static void main(String[] args) {
    PhantomDataset.generate(Path.of(args[0]), 8, 4, 4, 64, 1);
  }
}
